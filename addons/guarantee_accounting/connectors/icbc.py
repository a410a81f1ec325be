"""ICBC-style gateway XML bank adapter (工商银行 银企互联, through the bank's NetSafe gateway).

Follows the message layout of ICBC's corporate direct-connect interface (《中国工商银行 财智
账户/银企互联 接口说明》, the specification ICBC hands to corporate customers with its NC
gateway; the transaction codes are those listed in DOMAIN.md "Banks"):

- the company runs ICBC's gateway program (NC) next to Odoo; it holds the operator's
  certificate (USB key), signs what must be signed and forwards to the bank. The adapter
  POSTs a form to ``{url}/servlet/ICBCCMPAPIReqServlet?userID=..&PackageID=..&SendTime=..``
  with the fields Version, TransCode, BankCode (102), GroupCIS, ID, PackageID, Cert and
  ``reqData``, the request XML encoded in GBK;
- every message is ``<CMS><eb><pub>..</pub><in>..</in></eb></CMS>``; ``pub`` carries
  TransCode, CIS (the company's customer number), BankCode, ID (the operator certificate
  id), TranDate (YYYYMMDD), TranTime (HHMMSSmmm) and fSeqno, the package sequence number,
  unique per package: the bank refuses a second package with the same fSeqno, which makes
  the payment order's request id (sent as fSeqno) its idempotency key;
- the answer (GBK XML, possibly prefixed ``reqData=`` and base64-encoded by the gateway)
  has ``pub/RetCode`` ("0" = accepted) and ``RetMsg``, then ``out`` with one ``rd`` per
  record; amounts are integers in fen (分);
- QACCBAL balance, QHISD history (paged by NextTag; Drcrf 1 = debit, 2 = credit), PAYENT
  payment (one record, PayAmt in fen, the reference in PostScript 附言), QPAYENT status of a
  payment by its fSeqno (QryfSeqno): Result 7 = done, 6 and 8 = refused by the bank or by
  authorisation, anything else is still in progress.

A PAYENT whose package the bank did not take (RetCode not "0") says nothing definite: the
order stays "Outcome Unknown" and is resolved by QPAYENT with the same fSeqno.
"""

import base64
import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import requests
from lxml import etree

from odoo.addons.guarantee_platform.tools.connectors import (
    ConnectorMalformedResponse,
    ConnectorRejected,
    ConnectorUnavailable,
    register_adapter,
    unavailable,
)

from .base import BankAdapter

ENCODING = "GBK"
BANK_CODE = "102"  # ICBC's bank code in the interface
RESULT_DONE = {"7"}
RESULT_FAILED = {"6", "8"}
SERVLET = "/servlet/ICBCCMPAPIReqServlet"


def fen(amount):
    """``amount`` in yuan as an integer number of fen, rounded half up."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def yuan(value):
    return float(Decimal(value or "0") / 100)


class GatewayRefused(ConnectorRejected):
    """The gateway or the bank answered with a RetCode other than "0"."""

    ret_code = ""


@register_adapter("bank", "icbc_xml")
class IcbcGatewayAdapter(BankAdapter):
    """``config.username`` is the operator certificate id (ID), ``options["cis"]`` the
    company's ICBC customer number (CIS)."""

    @property
    def cis(self):
        return (self.config.options or {}).get("cis") or ""

    # ------------------------------------------------------------------ messages

    def _message(self, code, fields_in, seqno, now=None):
        """The request XML (bytes, GBK) of transaction ``code``."""
        now = now or datetime.datetime.now()
        root = etree.Element("CMS")
        eb = etree.SubElement(root, "eb")
        pub = etree.SubElement(eb, "pub")
        for tag, value in (
            ("TransCode", code), ("CIS", self.cis), ("BankCode", BANK_CODE),
            ("ID", self.config.username), ("TranDate", now.strftime("%Y%m%d")),
            ("TranTime", now.strftime("%H%M%S") + "%03d" % (now.microsecond // 1000)),
            ("fSeqno", seqno),
        ):
            etree.SubElement(pub, tag).text = value
        self._fill(etree.SubElement(eb, "in"), fields_in)
        return etree.tostring(root, xml_declaration=True, encoding=ENCODING)

    def _fill(self, element, values):
        for tag, value in values:
            child = etree.SubElement(element, tag)
            if isinstance(value, list):
                self._fill(child, value)
            else:
                child.text = "" if value is None else str(value)

    def _post(self, code, fields_in, seqno):
        """Send one package; the ``out`` element of a package the bank took."""
        xml = self._message(code, fields_in, seqno)
        now = datetime.datetime.now()
        query = urlencode({"userID": self.config.username, "PackageID": seqno,
                           "SendTime": now.strftime("%Y%m%d%H%M%S%f")[:17]})
        form = {
            "Version": "0.0.1.0", "TransCode": code, "BankCode": BANK_CODE,
            "GroupCIS": self.cis, "ID": self.config.username, "PackageID": seqno,
            "Cert": "", "reqData": xml.decode(ENCODING),
        }
        url = self.config.url.rstrip("/") + SERVLET + "?" + query
        try:
            response = requests.post(
                url, data=urlencode(form, encoding=ENCODING).encode("ascii"),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=GBK"},
                timeout=self.config.timeout,
            )
        except requests.RequestException as error:
            raise unavailable(error, code) from None
        if response.status_code >= 500:
            error = ConnectorUnavailable(f"HTTP {response.status_code} on {code}")
            error.status_code = response.status_code
            raise error
        if response.status_code >= 400:
            error = ConnectorRejected(f"HTTP {response.status_code} on {code}")
            error.status_code = response.status_code
            raise error
        return self._parse(code, response.content)

    def _parse(self, code, content):
        body = content.strip()
        if body.startswith(b"reqData="):
            try:
                body = base64.b64decode(body[len(b"reqData="):], validate=True)
            except ValueError:
                raise ConnectorMalformedResponse(f"Undecodable answer to {code}") from None
        if body.startswith(b"errorCode="):
            # the gateway itself refused the package (format, certificate, session)
            raise GatewayRefused(f"{code} refused by the gateway: "
                                 f"{body.decode(ENCODING, 'replace')[:200]}")
        try:
            root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False))
        except etree.XMLSyntaxError:
            raise ConnectorMalformedResponse(
                f"Not an XML answer to {code}: {body[:200]!r}") from None
        ret_code = root.findtext("eb/pub/RetCode")
        if ret_code is None:
            raise ConnectorMalformedResponse(f"No RetCode in the answer to {code}")
        if ret_code.strip() != "0":
            error = GatewayRefused(
                f"{code} refused: RetCode {ret_code} {root.findtext('eb/pub/RetMsg') or ''}")
            error.ret_code = ret_code.strip()
            raise error
        out = root.find("eb/out")
        if out is None:
            raise ConnectorMalformedResponse(f"No out element in the answer to {code}")
        return out

    @staticmethod
    def _seqno():
        """A fresh fSeqno for a query (payments use their request id)."""
        return uuid.uuid4().hex

    # ------------------------------------------------------------------ interface

    def _balance(self):
        out = self._post("QACCBAL", [
            ("TotalNum", 1), ("BLFlag", ""),
            ("rd", [("iSeqno", 1), ("AccNo", self.account_number), ("CurrType", "001")]),
        ], self._seqno())
        record = out.find("rd")
        try:
            if record.findtext("iRetCode", "0").strip() != "0":
                raise ConnectorRejected(
                    f"QACCBAL: {record.findtext('iRetCode')} {record.findtext('iRetMsg')}")
            return {"balance": yuan(record.findtext("Balance")), "currency": "CNY"}
        except (AttributeError, ArithmeticError):
            raise ConnectorMalformedResponse("Unexpected QACCBAL answer") from None

    def _transactions(self, since):
        today = datetime.date.today()
        begin = datetime.date.fromisoformat(str(since))
        transactions, next_tag = [], ""
        for _page in range(1000):  # the bank pages by NextTag; a runaway loop is a bug
            out = self._post("QHISD", [
                ("AccNo", self.account_number), ("BeginDate", begin.strftime("%Y%m%d")),
                ("EndDate", today.strftime("%Y%m%d")), ("MinAmt", ""), ("MaxAmt", ""),
                ("BankType", ""), ("NextTag", next_tag), ("CurrType", "001"),
                ("DueBillNo", ""), ("AcctSeq", ""),
            ], self._seqno())
            transactions += [self._transaction(rd) for rd in out.findall("rd")]
            next_tag = (out.findtext("NextTag") or "").strip()
            if not next_tag:
                return transactions
        raise ConnectorMalformedResponse("QHISD never ends its pages")

    def _transaction(self, rd):
        try:
            credit = rd.findtext("Drcrf", "").strip() == "2"
            amount = yuan(rd.findtext("CreditAmount" if credit else "DebitAmount"))
            day = datetime.datetime.strptime(rd.findtext("Date", "").strip(), "%Y%m%d").date()
        except (ValueError, ArithmeticError):
            raise ConnectorMalformedResponse("Unexpected QHISD record") from None
        reference = " ".join(filter(None, (
            (rd.findtext(tag) or "").strip() for tag in ("PostScript", "UseCN", "Summary"))))
        ident = (rd.findtext("OnlySequence") or "").strip() or "-".join(
            (rd.findtext(tag) or "").strip() for tag in ("Date", "Time", "VouhNo"))
        return {
            "id": ident,
            "date": day.isoformat(),
            "amount": amount if credit else -amount,
            "reference": reference,
            "partner_name": (rd.findtext("RecipName") or "").strip(),
            "partner_account": (rd.findtext("RecipAccNo") or "").strip(),
        }

    def _transfer(self, order):
        amount = fen(order.amount)
        out = self._post("PAYENT", [
            ("OnlBatF", 1), ("SettleMode", 0), ("TotalNum", 1), ("TotalAmt", amount),
            ("SignTime", datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")[:17]),
            ("ReqReserved1", ""), ("ReqReserved2", ""),
            ("rd", [
                ("iSeqno", 1), ("ReimburseNo", ""), ("ReimburseNum", ""), ("StartDate", ""),
                ("StartTime", ""), ("PayType", 1), ("PayAccNo", self.account_number),
                ("PayAccNameCN", (self.config.options or {}).get("account_name") or ""),
                ("PayAccNameEN", ""), ("RecAccNo", order.payee_account),
                ("RecAccNameCN", order.payee_name), ("RecAccNameEN", ""), ("SysIOFlg", 2),
                ("IsSameCity", ""), ("Prop", 0), ("RecICBCCode", ""), ("RecCityName", ""),
                ("RecBankNo", ""), ("RecBankName", ""), ("CurrType", "001"),
                ("PayAmt", amount), ("UseCode", ""), ("UseCN", "代偿款"), ("EnSummary", ""),
                ("PostScript", order.reference), ("Summary", ""), ("Ref", ""), ("Oref", ""),
                ("ERPSqn", order.request_id), ("BusCode", ""), ("ERPcheckno", ""),
                ("CrvouhType", ""), ("CrvouhName", ""), ("CrvouhNo", ""),
            ]),
        ], order.request_id)
        record = out.find("rd")
        if record is not None and (record.findtext("iRetCode") or "0").strip() not in ("", "0"):
            raise ConnectorRejected(
                f"PAYENT record: {record.findtext('iRetCode')} {record.findtext('iRetMsg')}")
        return {"status": "accepted", "bank_reference": (
            out.findtext("rd/OrderNo") or out.findtext("rd/SerialNo") or order.request_id)}

    def _transfer_status(self, order):
        out = self._post("QPAYENT", [("QryfSeqno", order.request_id), ("QrySerialNo", "")],
                         self._seqno())
        result = (out.findtext("rd/Result") or "").strip()
        if not result:
            raise ConnectorMalformedResponse("QPAYENT answer without a Result")
        status = "done" if result in RESULT_DONE else (
            "failed" if result in RESULT_FAILED else "pending")
        return self._checked_status({
            "status": status,
            "bank_reference": (out.findtext("rd/SerialNo") or "").strip(),
        })
