"""Scorecard arithmetic: binning, weight of evidence, information value, points scaling,
validation figures and population stability. Pure functions (no ORM), so that a reader who
wants to know how a score is made opens one file, and the golden tests check each step.

Conventions (the usual ones of credit scorecards):
- WOE of a bin = ln(share of all goods in the bin / share of all bads in the bin): a positive
  WOE is safer than average. An empty side is smoothed with 0.5 so a pure bin stays finite.
- Logistic regression predicts "bad" from the WOE of each characteristic.
- score = offset + factor × ln(odds good:bad), factor = PDO / ln 2 and
  offset = base score − factor × ln(base odds): ``base_odds`` good:bad at ``base_score``, the
  odds double every ``pdo`` points. Points of a bin = −(coef × WOE + intercept / n) × factor +
  offset / n, so the sum of a row's points is its score.
"""

import math

import numpy
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split

SMOOTHING = 0.5
PSI_FLOOR = 0.0001
POINTS_DIGITS = 2
GRADES = ("A", "B", "C", "D", "E")


class ScorecardDataError(ValueError):
    """The data cannot train a scorecard; the message says why (the caller translates)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# ---------------------------------------------------------------------- values


def to_number(value):
    """A number from a cell as read from CSV or XLSX (string, int, float, empty); None when
    missing. Raises ValueError for text that is not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = str(value).strip().replace(",", "")
    if not text:
        return None
    return float(text)


def to_category(value):
    """A category label; None when missing."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_numeric(values):
    """True when every non-missing value reads as a number (and at least one is present)."""
    seen = False
    for value in values:
        try:
            number = to_number(value)
        except ValueError:
            return False
        seen = seen or number is not None
    return seen


# ---------------------------------------------------------------------- WOE, IV, PSI


def woe(good, bad, total_good, total_bad):
    """Weight of evidence of a bin with ``good`` goods and ``bad`` bads."""
    if not good and not bad:
        return 0.0
    good_share = (good or SMOOTHING) / total_good
    bad_share = (bad or SMOOTHING) / total_bad
    return math.log(good_share / bad_share)


def information_value(bins):
    """IV of a characteristic from its bins' (good, bad) counts."""
    total_good = sum(good for good, _bad in bins)
    total_bad = sum(bad for _good, bad in bins)
    value = 0.0
    for good, bad in bins:
        if not good and not bad:
            continue
        value += ((good / total_good) - (bad / total_bad)) * woe(good, bad, total_good, total_bad)
    return value


def psi(expected, actual):
    """Population stability index between two distributions given as counts (or shares)
    over the same bins: Σ (a − e) × ln(a / e), empty bins floored at 0.01%."""
    total_e, total_a = float(sum(expected)), float(sum(actual))
    if not total_e or not total_a:
        return 0.0
    value = 0.0
    for e_count, a_count in zip(expected, actual, strict=True):
        e_share = max(e_count / total_e, PSI_FLOOR)
        a_share = max(a_count / total_a, PSI_FLOOR)
        value += (a_share - e_share) * math.log(a_share / e_share)
    return value


# ---------------------------------------------------------------------- scaling


def scaling(base_score, base_odds, pdo):
    """(factor, offset) of the points scale."""
    factor = pdo / math.log(2)
    return factor, base_score - factor * math.log(base_odds)


def bin_points(coef, woe_value, intercept, n_characteristics, factor, offset):
    """Points of one bin (see the module docstring)."""
    points = -(coef * woe_value + intercept / n_characteristics) * factor
    return round(points + offset / n_characteristics, POINTS_DIGITS)


def score_to_pd(score, factor, offset):
    """Probability of default at ``score`` on the scale (the inverse of the scaling)."""
    exponent = (score - offset) / factor
    if exponent > 700:
        return 0.0
    return 1.0 / (1.0 + math.exp(exponent))


# ---------------------------------------------------------------------- binning


def _counts(keys, targets):
    goods, bads = {}, {}
    for key, target in zip(keys, targets, strict=True):
        if target:
            bads[key] = bads.get(key, 0) + 1
        else:
            goods[key] = goods.get(key, 0) + 1
    return goods, bads


def _bad_rate(group):
    total = group["good"] + group["bad"]
    return group["bad"] / total if total else 0.0


def _merge(groups, index):
    """Merge group ``index + 1`` into group ``index``."""
    left, right = groups[index], groups.pop(index + 1)
    left["good"] += right["good"]
    left["bad"] += right["bad"]
    left["members"] = left["members"] + right["members"]
    left["upper"] = right.get("upper")


def _merge_small_and_pure(groups, minimum):
    """Merge a group with too few rows, or with no good or no bad, into its neighbour
    whose bad rate is closest."""
    changed = True
    while changed and len(groups) > 1:
        changed = False
        for index, group in enumerate(groups):
            size = group["good"] + group["bad"]
            if size >= minimum and group["good"] and group["bad"]:
                continue
            if index == 0:
                _merge(groups, 0)
            elif index == len(groups) - 1:
                _merge(groups, index - 1)
            else:
                rate = _bad_rate(group)
                left_gap = abs(_bad_rate(groups[index - 1]) - rate)
                right_gap = abs(_bad_rate(groups[index + 1]) - rate)
                _merge(groups, index - 1 if left_gap <= right_gap else index)
            changed = True
            break


def _merge_monotonic(groups):
    """Merge adjacent bins until the bad rate moves in one direction (the direction of the
    first bin against the last)."""
    while len(groups) > 2:
        rising = _bad_rate(groups[-1]) >= _bad_rate(groups[0])
        for index in range(len(groups) - 1):
            step = _bad_rate(groups[index + 1]) - _bad_rate(groups[index])
            if (step < 0) if rising else (step > 0):
                _merge(groups, index)
                break
        else:
            return


def numeric_bins(values, targets, max_bins=5, min_share=0.05, monotonic=True):
    """Upper edges of the bins of a numeric characteristic (the last bin is open above):
    quantile cuts on the non-missing values, then small or pure bins merged into a neighbour,
    then (``monotonic``) adjacent bins merged until the bad rate is monotonic."""
    pairs = sorted(
        (value, target) for value, target in zip(values, targets, strict=True) if value is not None
    )
    if not pairs:
        return []
    data = numpy.array([value for value, _target in pairs])
    cuts = sorted(set(numpy.quantile(data, numpy.linspace(0, 1, max_bins + 1)[1:-1]).tolist()))
    groups = []
    lower = None
    for upper in cuts + [None]:
        members = [
            target
            for value, target in pairs
            if (lower is None or value > lower) and (upper is None or value <= upper)
        ]
        if members:
            groups.append(
                {
                    "good": members.count(0),
                    "bad": len(members) - members.count(0),
                    "members": [],
                    "upper": upper,
                }
            )
        elif groups:
            groups[-1]["upper"] = upper
        lower = upper
    _merge_small_and_pure(groups, max(1, int(min_share * len(pairs))))
    if monotonic:
        _merge_monotonic(groups)
    return [group["upper"] for group in groups[:-1]]


def categorical_groups(values, targets, max_bins=5, min_share=0.05):
    """Groups (sorted lists of categories) of a categorical characteristic: one group per
    category ordered by bad rate, small or pure ones merged into the neighbour closest in bad
    rate, then the closest adjacent pair merged until at most ``max_bins`` remain."""
    present = [
        (value, target) for value, target in zip(values, targets, strict=True) if value is not None
    ]
    if not present:
        return []
    goods, bads = _counts([v for v, _t in present], [t for _v, t in present])
    categories = sorted(set(goods) | set(bads))
    groups = [{"good": goods.get(c, 0), "bad": bads.get(c, 0), "members": [c]} for c in categories]
    groups.sort(key=lambda g: (_bad_rate(g), g["members"][0]))
    _merge_small_and_pure(groups, max(1, int(min_share * len(present))))
    while len(groups) > max_bins:
        gaps = [_bad_rate(groups[i + 1]) - _bad_rate(groups[i]) for i in range(len(groups) - 1)]
        _merge(groups, gaps.index(min(gaps)))
    return [sorted(group["members"]) for group in groups]


# ---------------------------------------------------------------------- characteristics


def make_bins(kind, values, targets, max_bins=5, min_share=0.05, monotonic=True):
    """Bins of one characteristic as dicts: numeric ``lower``/``upper`` (None = unbounded,
    lower excluded, upper included), categorical ``categories``; a last bin ``missing`` holds
    missing values (and categories not seen in training)."""
    if kind == "numeric":
        edges = numeric_bins(values, targets, max_bins, min_share, monotonic)
        bounds = list(zip([None] + edges, edges + [None], strict=True))
        bins = [
            {"lower": low, "upper": up, "categories": [], "missing": False} for low, up in bounds
        ]
    else:
        bins = [
            {"lower": None, "upper": None, "categories": group, "missing": False}
            for group in categorical_groups(values, targets, max_bins, min_share)
        ]
    bins.append({"lower": None, "upper": None, "categories": [], "missing": True})
    return bins


def bin_index(kind, bins, value):
    """Index of the bin of ``value`` (already converted) in ``bins``."""
    if value is not None:
        for index, item in enumerate(bins):
            if item["missing"]:
                continue
            if kind == "numeric":
                if (item["lower"] is None or value > item["lower"]) and (
                    item["upper"] is None or value <= item["upper"]
                ):
                    return index
            elif value in item["categories"]:
                return index
    return next(index for index, item in enumerate(bins) if item["missing"])


def convert(kind, value):
    return to_number(value) if kind == "numeric" else to_category(value)


def _column(rows, name, kind):
    values = []
    for row in rows:
        try:
            values.append(convert(kind, row.get(name)))
        except ValueError as error:
            raise ScorecardDataError("not_number", column=name, value=row.get(name)) from error
    return values


# ---------------------------------------------------------------------- validation


def ks_statistic(targets, probabilities):
    """Kolmogorov-Smirnov: the largest gap between the cumulative bad and good shares."""
    fpr, tpr, _thresholds = roc_curve(targets, probabilities)
    return float(numpy.max(tpr - fpr))


def validation(targets, probabilities):
    """AUC, KS and Gini of predicted probabilities of default against outcomes."""
    auc = float(roc_auc_score(targets, probabilities))
    return {"auc": auc, "ks": ks_statistic(targets, probabilities), "gini": 2 * auc - 1}


# ---------------------------------------------------------------------- training


def _split(targets, test_share, seed):
    indexes = list(range(len(targets)))
    bads = sum(targets)
    if bads < 2 or len(targets) - bads < 2:
        raise ScorecardDataError("one_class", rows=len(targets), bads=bads)
    return train_test_split(
        indexes, test_size=test_share, stratify=targets, random_state=seed, shuffle=True
    )


def _challenger_matrix(rows, characteristics, train_targets):
    """Raw features for the gradient-boosting challenger: numbers as they are (missing →
    median of training), categories as their training bad rate."""
    columns = []
    for spec in characteristics:
        values = spec["values"]
        if spec["kind"] == "numeric":
            known = [values[i] for i in rows["train"] if values[i] is not None]
            fill = float(numpy.median(known)) if known else 0.0
            columns.append([fill if v is None else v for v in values])
        else:
            goods, bads = _counts([values[i] for i in rows["train"]], train_targets)
            rate = {
                c: bads.get(c, 0) / (goods.get(c, 0) + bads.get(c, 0))
                for c in set(goods) | set(bads)
            }
            prior = sum(train_targets) / len(train_targets)
            columns.append([rate.get(v, prior) for v in values])
    return numpy.array(columns, dtype=float).T


def fit(
    rows,
    targets,
    characteristics,
    test_share=0.3,
    seed=42,
    base_score=600.0,
    base_odds=50.0,
    pdo=20.0,
    max_bins=5,
    progress=None,
):
    """Train a scorecard.

    :param rows: list of dicts (values as read from a file or a project)
    :param targets: list of 0 (good) / 1 (bad), one per row
    :param characteristics: list of dicts ``name``, ``kind`` (numeric / categorical / None to
        detect), ``monotonic``
    :param progress: optional callable(percent, message) for long runs
    :return: dict with ``characteristics`` (name, kind, monotonic, iv, coef, bins with counts,
        woe and points), ``intercept``, ``factor``, ``offset``, validation figures of the
        scorecard (``auc``, ``ks``, ``gini``) and of the challenger (``challenger_auc``) on the
        held-out rows, ``grades`` and the training scores.
    """
    report = progress or (lambda percent, message: None)
    if not characteristics:
        raise ScorecardDataError("no_characteristic")
    train, test = _split(targets, test_share, seed)
    train_targets = [targets[i] for i in train]
    total_good = len(train_targets) - sum(train_targets)
    total_bad = sum(train_targets)
    specs = []
    for spec in characteristics:
        name = spec["name"]
        raw = [row.get(name) for row in rows]
        kind = spec.get("kind") or ("numeric" if is_numeric(raw) else "categorical")
        values = _column(rows, name, kind)
        bins = make_bins(
            kind,
            [values[i] for i in train],
            train_targets,
            max_bins=max_bins,
            monotonic=spec.get("monotonic", True),
        )
        indexes = [bin_index(kind, bins, value) for value in values]
        goods, bads = _counts([indexes[i] for i in train], train_targets)
        for position, item in enumerate(bins):
            item["count"] = goods.get(position, 0) + bads.get(position, 0)
            item["bad"] = bads.get(position, 0)
            item["woe"] = woe(goods.get(position, 0), bads.get(position, 0), total_good, total_bad)
        iv = information_value([(item["count"] - item["bad"], item["bad"]) for item in bins])
        specs.append(
            {
                "name": name,
                "kind": kind,
                "monotonic": spec.get("monotonic", True),
                "bins": bins,
                "iv": iv,
                "values": values,
                "indexes": indexes,
            }
        )
    report(40, "binned")
    matrix = numpy.array(
        [[spec["bins"][spec["indexes"][i]]["woe"] for spec in specs] for i in range(len(rows))]
    )
    model = LogisticRegression(C=1e6, max_iter=1000, random_state=seed)
    model.fit(matrix[train], train_targets)
    report(60, "regression")
    factor, offset = scaling(base_score, base_odds, pdo)
    intercept = float(model.intercept_[0])
    for spec, coef in zip(specs, model.coef_[0], strict=True):
        spec["coef"] = float(coef)
        for item in spec["bins"]:
            item["points"] = bin_points(
                spec["coef"], item["woe"], intercept, len(specs), factor, offset
            )
    scores = [
        sum(spec["bins"][spec["indexes"][i]]["points"] for spec in specs) for i in range(len(rows))
    ]
    test_targets = [targets[i] for i in test]
    figures = validation(test_targets, [score_to_pd(scores[i], factor, offset) for i in test])
    challenger = GradientBoostingClassifier(random_state=seed)
    features = _challenger_matrix({"train": train}, specs, train_targets)
    challenger.fit(features[train], train_targets)
    challenger_auc = float(
        roc_auc_score(test_targets, challenger.predict_proba(features[test])[:, 1])
    )
    report(90, "validated")
    train_scores = [scores[i] for i in train]
    for spec in specs:
        del spec["values"], spec["indexes"]
    return dict(
        figures,
        characteristics=specs,
        intercept=intercept,
        factor=factor,
        offset=offset,
        challenger_auc=challenger_auc,
        grades=grade_bands(train_scores, factor, offset),
        train_scores=train_scores,
        rows=len(rows),
        bad_rate=sum(targets) / len(targets),
    )


def grade_bands(scores, factor, offset):
    """Five grades A (best) … E cut at the 80th, 60th, 40th and 20th percentiles of the
    training scores; each band's PD is the PD at its lowest score (E: at the 10th percentile)."""
    cuts = numpy.quantile(numpy.array(scores), [0.8, 0.6, 0.4, 0.2]).tolist()
    bands = []
    for name, minimum in zip(GRADES, cuts + [None], strict=True):
        anchor = minimum if minimum is not None else float(numpy.quantile(scores, 0.1))
        bands.append(
            {
                "name": name,
                "min_score": round(minimum, POINTS_DIGITS) if minimum is not None else 0.0,
                "pd": score_to_pd(anchor, factor, offset),
            }
        )
    return bands


# ---------------------------------------------------------------------- scoring


def score_row(row, characteristics, grades, factor, offset, reasons=3):
    """Score one row with trained ``characteristics`` (as returned by :func:`fit`).

    :return: dict ``score``, ``grade``, ``pd``, ``reasons`` (names of the characteristics that
        cost most points against their best bin, worst first, at most ``reasons``) and
        ``bins`` (index of the bin hit in each characteristic)
    """
    total, losses, hits = 0.0, [], []
    for spec in characteristics:
        try:
            value = convert(spec["kind"], row.get(spec["name"]))
        except ValueError:
            value = None
        index = bin_index(spec["kind"], spec["bins"], value)
        points = spec["bins"][index]["points"]
        total += points
        hits.append(index)
        best = max(item["points"] for item in spec["bins"])
        if best - points > 0:
            losses.append((-(best - points), spec["name"]))
    losses.sort()
    total = round(total, POINTS_DIGITS)
    grade = (
        next((band["name"] for band in grades if total >= band["min_score"]), grades[-1]["name"])
        if grades
        else False
    )
    return {
        "score": total,
        "grade": grade,
        "pd": score_to_pd(total, factor, offset),
        "reasons": [name for _loss, name in losses[:reasons]],
        "bins": hits,
    }


def distribution(scores, edges):
    """Counts of ``scores`` in the bins cut by ``edges`` (upper bounds included)."""
    counts = [0] * (len(edges) + 1)
    for score in scores:
        position = next((i for i, edge in enumerate(edges) if score <= edge), len(edges))
        counts[position] += 1
    return counts


def decile_edges(scores):
    """Edges cutting the training scores in ten equal parts (PSI's bins)."""
    return sorted(set(numpy.quantile(numpy.array(scores), numpy.linspace(0.1, 0.9, 9)).tolist()))
