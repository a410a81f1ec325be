"""What a contract template may contain: the listed placeholders and nothing else.

A template is QWeb, and QWeb evaluates Python expressions. Whoever writes the template (even a
system administrator) may therefore only use the constructs below, each checked here before the
template is saved and again before it is filled:

- the directives ``t-out``/``t-esc`` (print), ``t-if``/``t-elif``/``t-else`` and
  ``t-foreach``/``t-as`` (repeat over a listed recordset);
- in their expressions: a listed variable, a chain of *fields* of it (never a method, a private
  attribute or a field restricted by ``groups``, which is where secrets live), constants,
  comparisons, ``and``/``or``/``not``, ``'%.2f' % value`` and the helpers figures(x), words(x),
  cn_date(d).

The fields are then read with the rights of the user who fills the template (record rules and
field groups apply), so a placeholder reaches only what that user may read.
"""

import ast
import re

from lxml import html as lxml_html

# variable -> model of its records (None: a plain value without fields)
VARIABLE_MODELS = {
    "contract": "guarantee.contract",
    "project": "guarantee.project",
    "company": "res.company",
    "applicant": "res.partner",
    "creditor": "res.partner",
    "guarantor": "res.partner",
    "parties": "res.partner",
    "collateral": "guarantee.collateral",
    "collaterals": "guarantee.collateral",
    **dict.fromkeys((
        "amount", "amount_figures", "amount_words", "fee_rate", "fee_total",
        "fee_total_figures", "fee_total_words", "margin_rate", "margin_required_figures",
        "margin_required_words", "date_start", "date_end", "today",
    )),
}
HELPERS = frozenset({"figures", "words", "cn_date"})
DIRECTIVES = frozenset({"t-out", "t-esc", "t-if", "t-elif", "t-else", "t-foreach", "t-as"})
_COMPARISONS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)


class PlaceholderError(ValueError):
    """A construct of the template that is not a listed placeholder (its text in ``args[0]``)."""


def placeholder_errors(body, env):
    """Every directive of ``body`` that is not allowed, as ``'attribute="expression"'`` texts
    (empty when the template is safe to fill). ``env`` gives the models' fields."""
    if not body:
        return []
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    models = dict(VARIABLE_MODELS)
    errors = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        attributes = dict(element.attrib)
        loop_name = attributes.get("t-as")
        for name, value in attributes.items():
            if not name.startswith("t-"):
                continue
            text = '%s="%s"' % (name, value)
            try:
                _check_directive(name, value, models, env)
            except PlaceholderError:
                errors.append(text)
                continue
            if name == "t-foreach" and loop_name:
                models[loop_name] = _expression_model(value, models, env)
    return errors


def _check_directive(name, value, models, env):
    if name not in DIRECTIVES:
        raise PlaceholderError(name)
    if name == "t-else":
        return
    if name == "t-as":
        if not value.isidentifier() or value in VARIABLE_MODELS or value in HELPERS:
            raise PlaceholderError(value)
        return
    _expression_model(value, models, env)


def _expression_model(expression, models, env):
    """The model of the records ``expression`` gives (None for a plain value); raises
    ``PlaceholderError`` for anything but the allowed constructs."""
    try:
        tree = ast.parse((expression or "").strip(), mode="eval")
    except SyntaxError as error:
        raise PlaceholderError(expression) from error
    return _node_model(tree.body, models, env)


def _node_model(node, models, env):
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, type(None))):
        return None
    if isinstance(node, ast.Name):
        if node.id not in models:
            raise PlaceholderError(node.id)
        return models[node.id]
    if isinstance(node, ast.Attribute):
        return _field_model(_node_model(node.value, models, env), node.attr, env)
    if isinstance(node, ast.Call):
        if (not isinstance(node.func, ast.Name) or node.func.id not in HELPERS
                or node.keywords or len(node.args) != 1):
            raise PlaceholderError(ast.unparse(node))
        _node_model(node.args[0], models, env)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        if not (isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
            raise PlaceholderError(ast.unparse(node))
        _node_model(node.right, models, env)
        return None
    if isinstance(node, ast.BoolOp):
        return [_node_model(value, models, env) for value in node.values][0]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _node_model(node.operand, models, env)
        return None
    if isinstance(node, ast.Compare) and all(isinstance(op, _COMPARISONS) for op in node.ops):
        for operand in [node.left, *node.comparators]:
            _node_model(operand, models, env)
        return None
    if isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            if not isinstance(element, ast.Constant):
                raise PlaceholderError(ast.unparse(node))
        return None
    raise PlaceholderError(ast.unparse(node))


def _field_model(model_name, attribute, env):
    """The comodel of field ``attribute`` of ``model_name`` (None if not relational); refuses
    what is not a field, a private name and every field restricted by ``groups``."""
    if not model_name or attribute.startswith("_"):
        raise PlaceholderError(attribute)
    field = env[model_name]._fields.get(attribute)
    if field is None or field.groups:
        raise PlaceholderError(attribute)
    return field.comodel_name if field.relational else None


# ---------------------------------------------------------------------------- editor tokens
#
# In the editor an empty <t t-out="…"/> shows nothing, so whoever edits the text cannot see
# (and may delete) a placeholder: "人民币（大写）（小写：）". Templates are therefore stored with
# each printing placeholder as a visible token that the editor cannot type into,
#     <span class="o_guarantee_placeholder" contenteditable="false" t-out="amount_words">
#         【担保金额（大写）】</span>
# (QWeb replaces the content of an element with t-out, so the token renders too), and the
# tokens are turned back into bare <t t-out> just before filling, so a contract never carries
# the token's markup.

TOKEN_CLASS = "o_guarantee_placeholder"
PLACEHOLDER_LABELS = {
    "contract.name": "合同编号",
    "project.name": "项目编号",
    "project.own_share": "承担比例",
    "applicant.name": "委托人名称",
    "applicant.uscc": "委托人统一社会信用代码",
    "guarantor.name": "保证人名称",
    "creditor.name": "债权人名称",
    "company.name": "本公司名称",
    "amount": "担保金额",
    "amount_figures": "担保金额（小写）",
    "amount_words": "担保金额（大写）",
    "fee_rate": "担保费率",
    "fee_total": "担保费",
    "fee_total_figures": "担保费（小写）",
    "fee_total_words": "担保费（大写）",
    "margin_rate": "保证金比例",
    "margin_required_figures": "保证金（小写）",
    "margin_required_words": "保证金（大写）",
    "date_start": "主债务起始日",
    "date_end": "主债务到期日",
    "today": "签订日期",
    "collateral.name": "反担保物",
    "collateral.owner_id.name": "反担保人名称",
    "collateral.recognized_value": "认定价值",
}
_LABEL_FORMS = (
    (re.compile(r"^'%\.\d+f'\s*%\s*(.+)$"), "{}"),
    (re.compile(r"^(?:figures)\((.+)\)$"), "{}（小写）"),
    (re.compile(r"^(?:words)\((.+)\)$"), "{}（大写）"),
    (re.compile(r"^(?:cn_date)\((.+)\)$"), "{}"),
    (re.compile(r"^(.+?)\s+or\s+''$"), "{}"),
)


def placeholder_label(expression):
    """The words a token shows for ``expression`` (the expression itself when unknown)."""
    text = (expression or "").strip()
    form = "{}"
    for pattern, wrap in _LABEL_FORMS:
        match = pattern.match(text)
        if match:
            text, form = match.group(1).strip(), form.format(wrap)
    label = PLACEHOLDER_LABELS.get(text)
    root, _dot, rest = text.partition(".")
    if not label and rest and root not in VARIABLE_MODELS:
        # a loop variable (t-foreach="collaterals" t-as="item"): named as one collateral
        label = PLACEHOLDER_LABELS.get("collateral." + rest)
    if label and form != "{}" and label.endswith(("（小写）", "（大写）")):
        form = "{}"
    return "【%s】" % form.format(label or text)


def _is_bare_placeholder(element):
    directives = [name for name in element.attrib if name.startswith("t-")]
    return (element.tag == "t" and len(directives) == 1 and directives[0] in ("t-out", "t-esc")
            and not len(element) and not (element.text or "").strip())


def _fragment_html(root):
    return (root.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in root
    )


def placeholder_tokens(body):
    """``body`` with every bare ``<t t-out="…"/>`` (or t-esc) turned into a visible token;
    tokens already there and everything else are left as they are."""
    if not body or "t-" not in body:
        return body
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    changed = False
    for element in list(root.iter("t")):
        if not _is_bare_placeholder(element):
            continue
        name = "t-out" if "t-out" in element.attrib else "t-esc"
        expression = element.attrib[name]
        tail = element.tail
        element.attrib.clear()
        element.tag = "span"
        element.set("class", TOKEN_CLASS)
        element.set("contenteditable", "false")
        element.set(name, expression)
        element.text = placeholder_label(expression)
        element.tail = tail
        changed = True
    return _fragment_html(root) if changed else body


def placeholder_tags(root):
    """Turn the tokens of the parsed template ``root`` back into bare ``<t t-out>`` in place
    (before QWeb fills it: the contract gets the values, not the token's markup)."""
    for element in list(root.iter("span")):
        if TOKEN_CLASS not in (element.get("class") or "").split():
            continue
        name = next((n for n in ("t-out", "t-esc") if n in element.attrib), None)
        if not name:
            continue
        expression = element.attrib[name]
        tail = element.tail
        for child in list(element):
            element.remove(child)
        element.attrib.clear()
        element.tag = "t"
        element.set(name, expression)
        element.text = None
        element.tail = tail
    return root
