"""企查查 and 天眼查 open APIs on the shared framework, mapped onto our kinds of data.

Each kind of endpoint (profile, changes, lawsuits, enforcement, penalties, abnormal, tax) is
one of the vendor's APIs, at the vendor's documented path (an endpoint record may give
another); the vendor's answer is turned into our profile keys here, item by item, then
normalized like any provider's (registry_profile.normalize). "No result" is an empty list,
not an error; the vendor's other status codes are refusals, its rate limits and internal
errors time-outs (retried, the calls being reads).
"""

import datetime
import hashlib
import json
import re
import time
from urllib.parse import quote

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorMalformedResponse,
    ConnectorRejected,
    ConnectorUnavailable,
    http_json,
    register_adapter,
)

from .data_adapters import RestDataProviderAdapter
from .registry_profile import KINDS, MalformedProfile, normalize


def capital_in_yuan(text):
    """"5000万元人民币" → 50000000.0; a plain number stays; None when there is none."""
    if text in (None, ""):
        return None
    match = re.search(r"([\d.,]+)\s*(万|亿)?", str(text))
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    return value * {"万": 1e4, "亿": 1e8}.get(match.group(2), 1)


def day(value):
    """A vendor date ("2020-01-01", "2020-01-01 12:00:00", or Unix milliseconds) as
    YYYY-MM-DD."""
    if value in (None, "", 0):
        return ""
    if isinstance(value, (int, float)) or str(value).isdigit():
        return datetime.datetime.utcfromtimestamp(int(value) / 1000).strftime("%Y-%m-%d")
    return str(value)[:10]


def digest_id(*parts):
    """An item id for vendors whose items have none: stable over the item's content."""
    return hashlib.sha1("|".join(str(p or "") for p in parts).encode()).hexdigest()[:16]


class VendorDataAdapter(RestDataProviderAdapter):
    """What 企查查 and 天眼查 share: one GET per kind at the vendor's path, its answer
    converted by ``_convert_<kind>`` into our keys."""

    DEFAULT_PATHS = {}
    # a second API some kinds need (失信 beside 被执行人)
    COMPANION_PATHS = {}

    def _endpoints(self):
        configured = (self.config.options or {}).get("endpoints")
        if configured:
            return configured
        return [{"kind": kind, "path": path, "keys": KINDS[kind], "mapping": None}
                for kind, path in self.DEFAULT_PATHS.items()]

    def _fetch(self, uscc, endpoint):
        kind = endpoint["kind"]

        def fetch():
            raw = {"": self._get(endpoint["path"], uscc)}
            for name, path in self.COMPANION_PATHS.get(kind, {}).items():
                raw[name] = self._get(path, uscc)
            try:
                return normalize(getattr(self, "_convert_" + kind)(raw), None,
                                 endpoint["keys"])
            except (MalformedProfile, KeyError, TypeError, ValueError, AttributeError) as error:
                raise ConnectorMalformedResponse(f"{kind}: {error}") from None

        return self._call("company_" + kind, fetch, request_id=uscc,
                          url=self.config.url + endpoint["path"].split("?")[0])

    def _get(self, path, uscc):
        raise NotImplementedError


# ---------------------------------------------------------------------- 企查查
# https://openapi.qcc.com/dataApi/886 (and each API's page in the same catalogue): GET with
# the query parameter key (the AppKey) and the headers Token = upper(MD5(AppKey + Timespan +
# SecretKey)) and Timespan (Unix seconds); the answer {"Status", "Message", "Result"}, Status
# "200" found, "201" nothing found, any other code a refusal
# (https://openapi.qcc.com/services/after/status).


def qcc_token(app_key, timespan, secret_key):
    return hashlib.md5(f"{app_key}{timespan}{secret_key}".encode()).hexdigest().upper()


@register_adapter("data", "qichacha")
class QichachaAdapter(VendorDataAdapter):
    """``config.username``: the AppKey; ``config.secret``: the SecretKey."""

    DEFAULT_PATHS = {
        "profile": "/ECIV4/GetDetailsByName?keyword={uscc}",
        "changes": "/ECIChange/GetList?keyword={uscc}",
        "lawsuits": "/JudgeDocV4/SearchJudgmentDoc?searchKey={uscc}",
        "enforcement": "/CourtV4/SearchZhiXing?searchKey={uscc}",
        "penalties": "/AdminPenalty/GetList?searchKey={uscc}",
        "abnormal": "/ECIException/GetOpException?keyword={uscc}",
        "tax": "/TaxCredit/GetList?searchKey={uscc}",
    }
    COMPANION_PATHS = {"enforcement": {"dishonest": "/CourtV4/SearchShiXin?searchKey={uscc}"}}
    NO_RESULT = "201"
    BUSY = {"199", "203"}  # the vendor's system busy / too frequent

    def _get(self, path, uscc):
        timespan = str(int(time.time()))
        url_path = path.replace("{uscc}", quote(uscc, safe=""))
        data = http_json(self.config, "GET", url_path, params={"key": self.config.username},
                         headers={"Token": qcc_token(self.config.username, timespan,
                                                     self.config.secret),
                                  "Timespan": timespan})
        status = str((data or {}).get("Status") or "")
        if status == "200":
            return data.get("Result")
        if status == self.NO_RESULT:
            return None
        cls = ConnectorUnavailable if status in self.BUSY else ConnectorRejected
        raise cls(f"企查查 {status}: {data.get('Message') if isinstance(data, dict) else data}")

    @staticmethod
    def _convert_profile(raw):
        result = raw[""] or {}
        if not result:
            raise MalformedProfile("the company is not found")
        return {
            "name": result.get("Name"),
            "legal_representative": result.get("OperName"),
            "registered_capital": capital_in_yuan(result.get("RegistCapi")),
            "address": result.get("Address"),
            "shareholders": [p.get("StockName") for p in result.get("Partners") or []],
        }

    @staticmethod
    def _convert_changes(raw):
        return {"changes": [{
            "id": digest_id(item.get("ProjectName"), item.get("ChangeDate"),
                            item.get("AfterContent")),
            "field": (item.get("ProjectName") or "").replace("变更", "").strip(),
            "before": item.get("BeforeContent"), "after": item.get("AfterContent"),
            "date": day(item.get("ChangeDate")),
        } for item in raw[""] or []]}

    @staticmethod
    def _convert_lawsuits(raw):
        return {"lawsuits": [{
            "id": item.get("Id") or digest_id(item.get("CaseNo")), "case_no": item.get("CaseNo"),
            "cause": item.get("CaseReason"), "court": item.get("Court"),
            "amount": item.get("Amount") or 0, "date": day(item.get("SubmitDate")),
        } for item in raw[""] or []], "judgments": []}

    @staticmethod
    def _convert_enforcement(raw):
        return {
            "enforcements": [{
                "id": item.get("Id") or digest_id(item.get("Anno")), "case_no": item.get("Anno"),
                "court": item.get("ExecuteGov"), "amount": item.get("Biaodi") or 0,
                "date": day(item.get("Liandate")), "status": item.get("Status"),
            } for item in raw[""] or []],
            "dishonest": [{
                "id": item.get("Id") or digest_id(item.get("Anno")), "case_no": item.get("Anno"),
                "court": item.get("Executegov"), "reason": item.get("ActionRemark"),
                "date": day(item.get("Publicdate") or item.get("Liandate")),
                "status": item.get("Executestatus"),
            } for item in raw["dishonest"] or []],
        }

    @staticmethod
    def _convert_penalties(raw):
        return {"penalties": [{
            "id": item.get("Id") or digest_id(item.get("DocNo")), "case_no": item.get("DocNo"),
            "reason": item.get("PunishReason"), "authority": item.get("PunishOffice"),
            "amount": capital_in_yuan(item.get("Money")) or 0,
            "date": day(item.get("PunishDate")),
        } for item in raw[""] or []]}

    @staticmethod
    def _convert_abnormal(raw):
        return {"abnormal_operations": [{
            "id": digest_id(item.get("AddDate"), item.get("AddReason")),
            "reason": item.get("AddReason"), "authority": item.get("DecisionOffice"),
            "date": day(item.get("AddDate")), "closed": bool(item.get("RemoveDate")),
        } for item in raw[""] or []]}

    @staticmethod
    def _convert_tax(raw):
        grades = sorted(raw[""] or [], key=lambda item: str(item.get("Year") or ""))
        return {"tax_credit_grade": grades[-1].get("Level") if grades else None}


# ---------------------------------------------------------------------- 天眼查
# https://open.tianyancha.com/open/818 (企业基本信息), /open/822 (变更记录), /open/848
# (经营异常) and the other APIs of the catalogue: GET with the header Authorization: <token>
# and the query parameter keyword (a company name, id or credit code); the answer
# {"error_code", "reason", "result"}, error_code 0 found, 300000 nothing found (经查无结果),
# 300004 too frequent, 300001 request failed, the others refusals (account, balance, rights).


@register_adapter("data", "tianyancha")
class TianyanchaAdapter(VendorDataAdapter):
    """``config.secret``: the token."""

    DEFAULT_PATHS = {
        "profile": "/services/open/ic/baseinfoV2/2.0?keyword={uscc}",
        "changes": "/services/open/ic/changeinfo/2.0?keyword={uscc}",
        "lawsuits": "/services/open/jr/lawSuit/3.0?keyword={uscc}",
        "enforcement": "/services/open/jr/zhixinginfo/2.0?keyword={uscc}",
        "penalties": "/services/open/mr/punishmentInfo/3.0?keyword={uscc}",
        "abnormal": "/services/open/mr/abnormal/2.0?keyword={uscc}",
        "tax": "/services/open/m/taxCredit/2.0?keyword={uscc}",
    }
    COMPANION_PATHS = {
        "enforcement": {"dishonest": "/services/open/jr/dishonest/2.0?keyword={uscc}"},
        "profile": {"holders": "/services/open/ic/holder/2.0?keyword={uscc}"},
    }
    NO_RESULT = 300000
    BUSY = {300001, 300004}

    def _get(self, path, uscc):
        url_path = path.replace("{uscc}", quote(uscc, safe=""))
        data = http_json(self.config, "GET", url_path,
                         headers={"Authorization": self.config.secret or ""})
        if not isinstance(data, dict) or "error_code" not in data:
            raise ConnectorMalformedResponse(f"天眼查: unexpected answer {json.dumps(data)[:200]}")
        code = data["error_code"]
        if code == 0:
            return data.get("result")
        if code == self.NO_RESULT:
            return None
        cls = ConnectorUnavailable if code in self.BUSY else ConnectorRejected
        raise cls(f"天眼查 {code}: {data.get('reason')}")

    @staticmethod
    def _items(result):
        return (result or {}).get("items") or []

    def _convert_profile(self, raw):
        result = raw[""] or {}
        if not result:
            raise MalformedProfile("the company is not found")
        return {
            "name": result.get("name"),
            "legal_representative": result.get("legalPersonName"),
            "registered_capital": capital_in_yuan(result.get("regCapital")),
            "address": result.get("regLocation"),
            "shareholders": [h.get("name") for h in self._items(raw["holders"])],
        }

    def _convert_changes(self, raw):
        return {"changes": [{
            "id": digest_id(item.get("changeItem"), item.get("changeTime"),
                            item.get("contentAfter")),
            "field": (item.get("changeItem") or "").replace("变更", "").strip(),
            "before": item.get("contentBefore"), "after": item.get("contentAfter"),
            "date": day(item.get("changeTime")),
        } for item in self._items(raw[""])]}

    def _convert_lawsuits(self, raw):
        return {"lawsuits": [{
            "id": str(item.get("id") or digest_id(item.get("caseNo"))),
            "case_no": item.get("caseNo"), "cause": item.get("caseReason"),
            "court": item.get("court"), "date": day(item.get("submitTime")),
        } for item in self._items(raw[""])], "judgments": []}

    def _convert_enforcement(self, raw):
        return {
            "enforcements": [{
                "id": digest_id(item.get("caseCode")), "case_no": item.get("caseCode"),
                "court": item.get("execCourtName"), "amount": item.get("execMoney") or 0,
                "date": day(item.get("caseCreateTime")),
            } for item in self._items(raw[""])],
            "dishonest": [{
                "id": digest_id(item.get("casecode")), "case_no": item.get("casecode"),
                "court": item.get("courtname"), "reason": item.get("disrupttypename"),
                "date": day(item.get("publishdate")),
                "closed": item.get("performance") == "全部履行",
            } for item in self._items(raw["dishonest"])],
        }

    def _convert_penalties(self, raw):
        return {"penalties": [{
            "id": digest_id(item.get("punishNumber")), "case_no": item.get("punishNumber"),
            "reason": item.get("reason"), "authority": item.get("departmentName"),
            "date": day(item.get("decisionDate")),
        } for item in self._items(raw[""])]}

    def _convert_abnormal(self, raw):
        return {"abnormal_operations": [{
            "id": digest_id(item.get("putDate"), item.get("putReason")),
            "reason": item.get("putReason"), "authority": item.get("putDepartment"),
            "date": day(item.get("putDate")), "closed": bool(item.get("removeDate")),
        } for item in self._items(raw[""])]}

    def _convert_tax(self, raw):
        grades = sorted(self._items(raw[""]), key=lambda item: str(item.get("year") or ""))
        return {"tax_credit_grade": grades[-1].get("grade") if grades else None}
