"""A stand-in for ICBC's gateway (NC) on 127.0.0.1, speaking the gateway XML the adapter
follows (connectors/icbc.py): a GBK form POST to /servlet/ICBCCMPAPIReqServlet whose
``reqData`` is the request package, answered with a GBK ``<CMS><eb><pub>..<out>..`` package.

The bank books a payment once per fSeqno: a second PAYENT with a known fSeqno is refused
("重复的指令包序列号") and pays nothing; QPAYENT of an unknown fSeqno is refused too.
"""

import time
from urllib.parse import parse_qs

from lxml import etree

from odoo.addons.guarantee_platform.tests.fake_servers import LocalServer

DUPLICATE = ("B0118", "重复的指令包序列号")
NOT_FOUND = ("B0207", "未找到该指令包")


class FakeIcbcGateway:
    def __init__(self, balance_fen=880000050, hang_first=0.0):
        self.balance_fen = balance_fen
        self.hang_first = hang_first
        self.history_pages = [[]]  # pages of QHISD records (dicts of the rd children)
        self.payments = {}  # fSeqno -> PayAmt (fen)
        self.results = {}  # fSeqno -> Result of QPAYENT (default "7", done)
        self.payent_ret = None  # (RetCode, RetMsg) to refuse the next PAYENT with
        self.packages = []  # (TransCode, request root) of every package received

    def server(self):
        return LocalServer(self.handle)

    # ------------------------------------------------------------------ protocol

    def handle(self, method, path, headers, body):
        if method != "POST" or not path.startswith("/servlet/ICBCCMPAPIReqServlet?"):
            return 404, {}, "not found"
        form = parse_qs(body.decode("ascii"), encoding="GBK")
        request = etree.fromstring(form["reqData"][0].encode("GBK"))
        code = request.findtext("eb/pub/TransCode")
        if form["TransCode"][0] != code or request.findtext("eb/pub/BankCode") != "102":
            return 200, {"Content-Type": "text/plain"}, "errorCode=9008100"
        self.packages.append((code, request))
        seqno = request.findtext("eb/pub/fSeqno")
        answer = getattr(self, "_" + code.lower())(request.find("eb/in"), seqno)
        if isinstance(answer, tuple):
            return self._reply(code, seqno, None, ret=answer)
        if answer is None:
            return None
        return self._reply(code, seqno, answer)

    def _reply(self, code, seqno, out, ret=("0", "")):
        root = etree.Element("CMS")
        eb = etree.SubElement(root, "eb")
        pub = etree.SubElement(eb, "pub")
        for tag, value in (("TransCode", code), ("fSeqno", seqno), ("RetCode", ret[0]),
                           ("RetMsg", ret[1])):
            etree.SubElement(pub, tag).text = value
        if out is not None:
            eb.append(out)
        body = etree.tostring(root, xml_declaration=True, encoding="GBK")
        return 200, {"Content-Type": "text/xml; charset=GBK"}, body

    @staticmethod
    def _out(values, records=()):
        out = etree.Element("out")
        for tag, value in values:
            etree.SubElement(out, tag).text = str(value)
        for record in records:
            rd = etree.SubElement(out, "rd")
            for tag, value in record.items():
                etree.SubElement(rd, tag).text = str(value)
        return out

    def _qaccbal(self, data, _seqno):
        account = data.findtext("rd/AccNo")
        return self._out([("TotalNum", 1)], [{
            "iSeqno": 1, "AccNo": account, "CurrType": "001", "AccBalance": self.balance_fen,
            "Balance": self.balance_fen, "UsableBalance": self.balance_fen, "iRetCode": "0",
            "iRetMsg": "",
        }])

    def _qhisd(self, data, _seqno):
        page = int(data.findtext("NextTag") or 0)
        records = self.history_pages[page]
        more = page + 1 < len(self.history_pages)
        return self._out([("AccNo", data.findtext("AccNo")), ("NextTag", page + 1 if more else ""),
                          ("TotalNum", len(records))], records)

    def _payent(self, data, seqno):
        if self.payent_ret:
            ret, self.payent_ret = self.payent_ret, None
            return ret
        if seqno in self.payments:
            return DUPLICATE
        self.payments[seqno] = int(data.findtext("TotalAmt"))
        if self.hang_first:
            hang, self.hang_first = self.hang_first, 0.0
            time.sleep(hang)
        return self._out([("TotalNum", 1)], [{"iSeqno": 1, "OrderNo": "ICBC-" + seqno[:10],
                                             "iRetCode": "0", "iRetMsg": ""}])

    def _qpayent(self, data, _seqno):
        asked = data.findtext("QryfSeqno")
        if asked not in self.payments:
            return NOT_FOUND
        return self._out([("QryfSeqno", asked)], [{
            "iSeqno": 1, "Result": self.results.get(asked, "7"),
            "SerialNo": "ICBC-" + asked[:10], "iRetCode": "0", "iRetMsg": "",
        }])
