#!/usr/bin/env python3
"""b24server - a local Bitrix24 REST test server (stdlib only).

Follows the facts in ../shared/reference/bitrix24-rest.md: the envelope
{"result":..,"time":{..}}, errors {"error","error_description"}, string-typed
values in get/list, pages of 50 with next/total and start (-1 skips the
count), batch (cmd map, halt, $result[] references, PHP-style [] for empty
maps), crm.duplicate.findbycomm, crm.{contact,company,lead,deal}.{add,update,
get,list,delete}, crm.timeline.comment.add/list, crm.contact.userfield.add/
list, ORIGINATOR_ID/ORIGIN_ID, and the leaky bucket (drain 2 req/s, block
above 50 with 503 QUERY_LIMIT_EXCEEDED; every blocked request is recorded as
a breach so tests can assert none happened).

The universal methods crm.item.{add,update,get,list,delete} (entityTypeId
1 lead, 2 deal, 3 contact, 4 company; camelCase fields, phones/e-mails/
websites in one `fm` array of {typeId,valueType,value}; replies
{"item":{..}} / {"items":[..]}) work on the same records as the per-entity
methods (stored in their UPPER_CASE form, so /dump shows one shape). An
update's `fm` is the whole new set of phones, e-mails, websites and IMs.

Method execution time: every call of a method adds its run time plus
`op_cost` seconds to that method's account; each reply's time.operating is
the account, time.operating_reset_at when the window (`op_window` s, 600)
ends. A method whose account is over `op_limit` (480) is refused with 429
OPERATION_TIME_LIMIT until the window ends (counted in op_blocks), as the
portal blocks it. Inside a batch, each command is charged to its own method.

Two listeners on 127.0.0.1:
  API      http://127.0.0.1:PORT/rest/1/<token>/<method>.json   (can go down)
  control  http://127.0.0.1:CPORT/   POST JSON commands, GET /state, /dump
Control commands (POST body, any combination):
  {"fault":"503"|"500"|"401"|"403"|"slow"|"drop"|null, "count":N (-1 = until
   cleared), "slow_s":S}  inject faults into the next N API requests
  {"down":true|false}   close / reopen the API listener (connection refused)
  {"rate":R, "capacity":C}  leaky bucket parameters
  {"advance_s":S}       move the server clock (DATE_MODIFY) forward
  {"op_cost":S, "op_limit":L, "op_window":W}  method execution-time budget
  {"reset":true}        forget every record and counter
Start: b24server.py --port 0 --control-port 0 --token T --ready-file F
writes {"port":P,"control_port":CP} to F once both listen.
"""
import argparse
import json
import math
import re
import socket
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENTITIES = ("contact", "company", "lead", "deal")
ENTITY_TYPE = {1: "lead", 2: "deal", 3: "contact", 4: "company"}
MULTI = ("PHONE", "EMAIL", "WEB", "IM")
PAGE = 50


class Fault(Exception):
    def __init__(self, status, code, desc):
        super().__init__(desc)
        self.status, self.code, self.desc = status, code, desc


def php_parse(qs):
    """Parse a PHP-style query string (a[b][0][c]=v) into nested dicts."""
    root = {}
    for pair in qs.split("&"):
        if not pair:
            continue
        k, _, v = pair.partition("=")
        k = urllib.parse.unquote_plus(k)
        v = urllib.parse.unquote_plus(v)
        m = re.match(r"^([^\[]+)((?:\[[^\]]*\])*)$", k)
        if not m:
            raise Fault(400, "INVALID_REQUEST", "bad parameter name")
        keys = [m.group(1)] + re.findall(r"\[([^\]]*)\]", m.group(2))
        cur = root
        for i, key in enumerate(keys):
            last = i == len(keys) - 1
            if key == "":
                key = str(len(cur))
            if last:
                cur[key] = v
            else:
                cur = cur.setdefault(key, {})
                if not isinstance(cur, dict):
                    raise Fault(400, "INVALID_REQUEST", "conflicting parameter " + k)
    return _lists(root)


def _lists(node):
    """Dicts whose keys are 0..n-1 become lists (PHP arrays)."""
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v) for k, v in node.items()}
    if node and all(k.isdigit() for k in node) and sorted(int(k) for k in node) == list(range(len(node))):
        return [node[str(i)] for i in range(len(node))]
    return node


def stringify(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "Y" if v else "N"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, dict):
        return {k: stringify(x) for k, x in v.items()}
    if isinstance(v, list):
        return [stringify(x) for x in v]
    return v


def digits(s):
    return re.sub(r"\D", "", s or "")


class Portal:
    def __init__(self):
        self.lock = threading.RLock()
        self.rate, self.capacity = 2.0, 50.0
        self.reset()

    def reset(self):
        with self.lock:
            self.records = {e: {} for e in ENTITIES}
            self.comments = {}
            self.userfields = []
            self.next_id = 1
            self.next_mf = 1
            self.level, self.last = 0.0, time.monotonic()
            self.breaches = 0
            self.max_level = 0.0
            self.requests = 0
            self.calls = {}
            self.fault, self.fault_count, self.slow_s = None, 0, 0.0
            self.clock_offset = 0.0
            self.op_cost, self.op_limit, self.op_window = 0.0, 480.0, 600.0
            self.op = {}  # method -> [seconds used, window start]
            self.op_blocks = 0

    # ---- method execution time -----------------------------------------
    def op_account(self, method):
        with self.lock:
            now = time.time()
            acc = self.op.get(method)
            if acc is None or now >= acc[1] + self.op_window:
                acc = self.op[method] = [0.0, now]
            return acc

    def op_check(self, method):
        acc = self.op_account(method)
        with self.lock:
            if acc[0] > self.op_limit:
                self.op_blocks += 1
                raise Fault(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")

    def op_charge(self, method, seconds):
        acc = self.op_account(method)
        with self.lock:
            acc[0] += seconds + self.op_cost
            return {"operating": round(acc[0], 4), "operating_reset_at": int(math.ceil(acc[1] + self.op_window))}

    def now_iso(self):
        t = datetime.now(timezone.utc) + timedelta(seconds=self.clock_offset)
        return t.astimezone(timezone(timedelta(hours=3))).replace(microsecond=0).isoformat()

    def take_bucket(self):
        """One request into the leaky bucket; False when it is full."""
        with self.lock:
            now = time.monotonic()
            self.level = max(0.0, self.level - (now - self.last) * self.rate)
            self.last = now
            self.requests += 1
            if self.level + 1 > self.capacity:
                self.breaches += 1
                return False
            self.level += 1
            self.max_level = max(self.max_level, self.level)
            return True

    def take_fault(self):
        with self.lock:
            if not self.fault or self.fault_count == 0:
                return None
            if self.fault_count > 0:
                self.fault_count -= 1
            f = self.fault
            if self.fault_count == 0:
                self.fault = None
            return f

    # ---- records -----------------------------------------------------
    def _multi(self, old, new):
        """Bitrix24 multi-field write: items with ID and DELETE=Y go, items
        with ID change, items without ID are appended."""
        out = [dict(x) for x in (old or [])]
        if not isinstance(new, list):
            raise Fault(400, "", "Multi-field value must be a list")
        for item in new:
            if not isinstance(item, dict):
                raise Fault(400, "", "Multi-field item must be an object")
            if item.get("ID"):
                tgt = [x for x in out if x["ID"] == str(item["ID"])]
                if not tgt:
                    continue
                if str(item.get("DELETE", "")).upper() == "Y" or item.get("VALUE") == "":
                    out.remove(tgt[0])
                else:
                    tgt[0]["VALUE"] = str(item.get("VALUE", tgt[0]["VALUE"]))
                    if item.get("VALUE_TYPE"):
                        tgt[0]["VALUE_TYPE"] = str(item["VALUE_TYPE"])
                continue
            val = str(item.get("VALUE", "")).strip()
            if not val:
                continue
            out.append({"ID": str(self.next_mf), "VALUE": val,
                        "VALUE_TYPE": str(item.get("VALUE_TYPE") or "WORK"), "TYPE_ID": None})
            self.next_mf += 1
        return out

    def _validate(self, ent, rec):
        if ent in ("lead", "deal", "company") and not str(rec.get("TITLE") or "").strip():
            raise Fault(400, "", "Required fields are not filled: TITLE")
        for e in rec.get("EMAIL") or []:
            if "@" not in e["VALUE"]:
                raise Fault(400, "", "E-mail address \"%s\" is invalid" % e["VALUE"])
        if "PHOTO" in rec and rec["PHOTO"] is not None:
            p = rec["PHOTO"]
            if not (isinstance(p, dict) and isinstance(p.get("fileData"), list) and len(p["fileData"]) == 2):
                raise Fault(400, "", "PHOTO must be {\"fileData\":[name, base64]}")

    def _write(self, ent, rec, fields):
        if not isinstance(fields, dict):
            raise Fault(400, "", "fields must be an object")
        for k, v in fields.items():
            if k in ("ID", "DATE_CREATE", "DATE_MODIFY"):
                continue
            if k in MULTI:
                rec[k] = self._multi(rec.get(k), v)
                for x in rec[k]:
                    x["TYPE_ID"] = k
            elif k == "PHOTO":
                rec[k] = v
            else:
                rec[k] = v

    def add(self, ent, params):
        fields = params.get("fields") or {}
        with self.lock:
            rec = {}
            self._write(ent, rec, fields)
            self._validate(ent, rec)
            rec["ID"] = self.next_id
            self.next_id += 1
            rec["DATE_CREATE"] = rec["DATE_MODIFY"] = self.now_iso()
            self.records[ent][rec["ID"]] = rec
            return rec["ID"]

    def _find(self, ent, params):
        try:
            rid = int(params.get("id") or params.get("ID"))
        except (TypeError, ValueError):
            raise Fault(400, "", "ID is not defined or invalid.")
        rec = self.records[ent].get(rid)
        if rec is None:
            raise Fault(400, "", "Not found")
        return rec

    def update(self, ent, params):
        with self.lock:
            rec = self._find(ent, params)
            new = json.loads(json.dumps(rec))
            self._write(ent, new, params.get("fields") or {})
            self._validate(ent, new)
            new["DATE_MODIFY"] = self.now_iso()
            rec.clear()
            rec.update(new)
            return True

    def get(self, ent, params):
        with self.lock:
            return stringify(json.loads(json.dumps(self._find(ent, params))))

    def delete(self, ent, params):
        with self.lock:
            rec = self._find(ent, params)
            del self.records[ent][int(rec["ID"])]
            return True

    @staticmethod
    def _match(rec, key, want):
        m = re.match(r"^(>=|<=|!=|=%|!%|>|<|@|!@|%|=|!)?(.*)$", key)
        op, field = m.group(1) or "=", m.group(2)
        have = rec.get(field)
        if field in MULTI:
            have = [x["VALUE"] for x in have or []]
        if op in ("=", "!", "!="):
            eq = [str(w) for w in (want if isinstance(want, list) else [want])]
            hit = (any(str(h) in eq for h in have) if isinstance(have, list)
                   else (have is not None and str(have) in eq))
            return hit if op == "=" else not hit
        if op in (">", ">=", "<", "<="):
            if have is None:
                return False
            if field == "ID":
                a, b = int(have), int(want)
            elif field.startswith("DATE_"):
                a = datetime.fromisoformat(str(have))
                b = datetime.fromisoformat(str(want).replace("Z", "+00:00"))
            else:
                a, b = str(have), str(want)
            return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]
        if op in ("%", "=%"):
            return have is not None and str(want).lower() in str(have).lower()
        if op in ("@",):
            return have is not None and str(have) in [str(w) for w in want]
        raise Fault(400, "", "Unsupported filter " + key)

    def list(self, ent, params):
        flt = params.get("filter") or {}
        if not isinstance(flt, dict):
            flt = {}
        try:
            start = int(params.get("start") or 0)
        except ValueError:
            raise Fault(400, "", "start is invalid")
        with self.lock:
            rows = [r for r in self.records[ent].values()
                    if all(self._match(r, k, v) for k, v in flt.items())]
            rows.sort(key=lambda r: r["ID"])
            order = params.get("order") or {}
            if isinstance(order, dict) and str(order.get("ID", "ASC")).upper() == "DESC":
                rows.reverse()
            total = len(rows)
            if start < 0:
                page, nxt = rows[:PAGE], None
                return stringify(json.loads(json.dumps(page))), None, None
            page = rows[start:start + PAGE]
            nxt = start + PAGE if start + PAGE < total else None
            return stringify(json.loads(json.dumps(page))), nxt, total

    def findbycomm(self, params):
        typ = str(params.get("type") or "").upper()
        vals = params.get("values") or []
        if typ not in ("EMAIL", "PHONE") or not isinstance(vals, list) or not vals:
            raise Fault(400, "", "Parameter 'type' or 'values' is invalid")
        if len(vals) > 20:
            raise Fault(400, "", "Too many values (max 20)")
        kinds = params.get("entity_type")
        kinds = [kinds.lower()] if kinds else ["lead", "contact", "company"]
        out = {}
        with self.lock:
            for k in kinds:
                if k not in self.records:
                    raise Fault(400, "", "entity_type is invalid")
                ids = []
                for r in self.records[k].values():
                    have = [x["VALUE"] for x in r.get(typ) or []]
                    if typ == "EMAIL":
                        hit = any(h.lower() == str(v).lower() for h in have for v in vals)
                    else:
                        hit = any(digits(h) and digits(h)[-10:] == digits(str(v))[-10:] for h in have for v in vals)
                    if hit:
                        ids.append(r["ID"])
                if ids:
                    out[k.upper()] = sorted(ids)
        return out if out else []

    def comment_add(self, params):
        f = params.get("fields") or {}
        typ = str(f.get("ENTITY_TYPE") or "").lower()
        with self.lock:
            if typ not in self.records:
                raise Fault(400, "", "ENTITY_TYPE is invalid")
            try:
                eid = int(f.get("ENTITY_ID"))
            except (TypeError, ValueError):
                raise Fault(400, "", "ENTITY_ID is not defined or invalid.")
            if eid not in self.records[typ]:
                raise Fault(400, "", "Entity not found")
            if not str(f.get("COMMENT") or "").strip():
                raise Fault(400, "", "COMMENT is empty")
            cid = self.next_id
            self.next_id += 1
            self.comments[cid] = {"ID": cid, "ENTITY_ID": eid, "ENTITY_TYPE": typ, "COMMENT": f["COMMENT"],
                                  "FILES": f.get("FILES") or [], "CREATED": self.now_iso()}
            return cid

    def comment_list(self, params):
        flt = params.get("filter") or {}
        with self.lock:
            rows = [c for c in self.comments.values()
                    if all(str(c.get(k if k != "ENTITY_TYPE" else k)).lower() == str(v).lower()
                           for k, v in flt.items())]
            rows.sort(key=lambda c: c["ID"])
            out = [{k: v for k, v in c.items() if k != "FILES"} for c in rows]
            return stringify(out)

    def userfield_add(self, params):
        f = params.get("fields") or {}
        name = str(f.get("FIELD_NAME") or "")
        if not re.match(r"^[A-Z0-9_]{1,13}$", name.replace("UF_CRM_", "")):
            raise Fault(400, "", "FIELD_NAME is invalid")
        full = name if name.startswith("UF_CRM_") else "UF_CRM_" + name
        with self.lock:
            if any(u["FIELD_NAME"] == full for u in self.userfields):
                raise Fault(400, "", "Field already exists")
            uid = len(self.userfields) + 1
            self.userfields.append({"ID": uid, "ENTITY_ID": "CRM_CONTACT", "FIELD_NAME": full,
                                    "USER_TYPE_ID": str(f.get("USER_TYPE_ID") or "string")})
            return uid

    # ---- the universal methods ----------------------------------------
    @staticmethod
    def to_upper(k):
        """camelCase -> UPPER_CASE: lastName -> LAST_NAME, ufCrmGreeterFaces -> UF_CRM_GREETER_FACES."""
        if k in ("updatedTime", "createdTime"):
            return "DATE_MODIFY" if k[0] == "u" else "DATE_CREATE"
        return re.sub(r"([A-Z])", r"_\1", k).upper()

    @staticmethod
    def to_camel(k):
        if k in ("DATE_MODIFY", "DATE_CREATE"):
            return "updatedTime" if k == "DATE_MODIFY" else "createdTime"
        parts = k.lower().split("_")
        return parts[0] + "".join(x.capitalize() for x in parts[1:])

    def item_fields(self, fields, update):
        if not isinstance(fields, dict):
            raise Fault(400, "", "fields must be an object")
        out = {}
        for k, v in fields.items():
            if k == "fm":
                if not isinstance(v, list):
                    raise Fault(400, "CRM_FIELD_ERROR_VALUE_NOT_VALID", "fm must be a list")
                kinds = {}
                for x in v:
                    if not isinstance(x, dict) or str(x.get("typeId", "")).upper() not in MULTI:
                        raise Fault(400, "CRM_FIELD_ERROR_VALUE_NOT_VALID", "fm item is invalid")
                    kinds.setdefault(str(x["typeId"]).upper(), []).append(
                        {"VALUE": str(x.get("value", "")), "VALUE_TYPE": str(x.get("valueType") or "WORK")})
                out.update(kinds)
                out["__fm_replace__"] = list(MULTI) if update else []
            elif k == "photo" and isinstance(v, list):
                out["PHOTO"] = {"fileData": v}
            else:
                out[self.to_upper(k)] = v
        return out

    def item_out(self, rec):
        item = {}
        for k, v in rec.items():
            if k in MULTI:
                continue
            item["id" if k == "ID" else self.to_camel(k)] = v
        item["id"] = int(rec["ID"])
        fm = []
        for k in MULTI:
            for x in rec.get(k) or []:
                fm.append({"id": int(x["ID"]), "typeId": k, "valueType": x["VALUE_TYPE"], "value": x["VALUE"]})
        item["fm"] = fm
        return item

    def item_call(self, op, params):
        try:
            ent = ENTITY_TYPE[int(params.get("entityTypeId"))]
        except (TypeError, ValueError, KeyError):
            raise Fault(400, "NOT_FOUND", "Smart process not found")
        if op == "add":
            with self.lock:
                f = self.item_fields(params.get("fields") or {}, False)
                f.pop("__fm_replace__", None)
                rid = self.add(ent, {"fields": f})
                return {"item": self.item_out(self.records[ent][rid])}
        if op == "update":
            with self.lock:
                f = self.item_fields(params.get("fields") or {}, True)
                for k in f.pop("__fm_replace__", []):
                    rec = self._find(ent, params)
                    f[k] = [{"ID": x["ID"], "DELETE": "Y"} for x in rec.get(k) or []] + f.get(k, [])
                self.update(ent, {"id": params.get("id"), "fields": f})
                return {"item": self.item_out(self._find(ent, params))}
        if op == "get":
            with self.lock:
                return {"item": self.item_out(self._find(ent, params))}
        if op == "delete":
            self.delete(ent, params)
            return []
        flt = {}
        for k, v in (params.get("filter") or {}).items():
            m = re.match(r"^(>=|<=|!=|=%|!%|>|<|@|!@|%|=|!)?(.*)$", k)
            name = m.group(2)
            flt[(m.group(1) or "") + ("ID" if name == "id" else self.to_upper(name))] = v
        order = {("ID" if k == "id" else self.to_upper(k)): v for k, v in (params.get("order") or {}).items()}
        rows, nxt, total = self.list(ent, {"filter": flt, "start": params.get("start"), "order": order})
        with self.lock:
            items = [self.item_out(self.records[ent][int(r["ID"])]) for r in rows]
        return {"items": items}, nxt, total

    def call(self, method, params):
        """Run one method; returns (result, extra) or raises Fault."""
        with self.lock:
            self.calls[method] = self.calls.get(method, 0) + 1
        m = re.match(r"^crm\.item\.(add|update|get|list|delete)$", method)
        if m:
            if m.group(1) == "list":
                res, nxt, total = self.item_call("list", params)
                extra = {}
                if nxt is not None:
                    extra["next"] = nxt
                if total is not None:
                    extra["total"] = total
                return res, extra
            return self.item_call(m.group(1), params), {}
        m = re.match(r"^crm\.(contact|company|lead|deal)\.(add|update|get|list|delete)$", method)
        if m:
            ent, op = m.groups()
            if op == "list":
                res, nxt, total = self.list(ent, params)
                extra = {}
                if nxt is not None:
                    extra["next"] = nxt
                if total is not None:
                    extra["total"] = total
                return res, extra
            return getattr(self, op)(ent, params), {}
        if method == "crm.duplicate.findbycomm":
            return self.findbycomm(params), {}
        if method == "crm.timeline.comment.add":
            return self.comment_add(params), {}
        if method == "crm.timeline.comment.list":
            return self.comment_list(params), {}
        if method == "crm.contact.userfield.add":
            return self.userfield_add(params), {}
        if method == "crm.contact.userfield.list":
            with self.lock:
                return stringify(list(self.userfields)), {}
        raise Fault(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")

    def batch(self, params):
        cmd = params.get("cmd") or {}
        if isinstance(cmd, list):
            cmd = {str(i): v for i, v in enumerate(cmd)}
        if not isinstance(cmd, dict):
            raise Fault(400, "", "cmd must be an object")
        if len(cmd) > 50:
            raise Fault(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
        halt = str(params.get("halt", "0")) not in ("0", "", "false", "N")
        results, errors, totals, nexts, times = {}, {}, {}, {}, {}
        for key, line in cmd.items():
            t0 = time.time()
            line = str(line)

            def ref(mt):
                v = results.get(mt.group(1))
                for sub in re.findall(r"\[([^\]]*)\]", mt.group(2) or ""):
                    v = v.get(sub) if isinstance(v, dict) else None
                return urllib.parse.quote(str(v if v is not None else ""))
            line = re.sub(r"\$result\[([^\]]+)\]((?:\[[^\]]*\])*)", ref, line)
            method, _, qs = line.partition("?")
            try:
                self.op_check(method)
                res, extra = self.call(method, php_parse(qs))
                results[key] = res
                if "total" in extra:
                    totals[key] = extra["total"]
                if "next" in extra:
                    nexts[key] = extra["next"]
            except Fault as f:
                errors[key] = {"error": f.code, "error_description": f.desc}
                if halt:
                    break
            times[key] = {"start": t0, "finish": time.time(), "duration": time.time() - t0}
            times[key].update(self.op_charge(method, time.time() - t0))
        php = lambda d: d if d else []  # PHP-style: an empty map is []
        return {"result": php(results), "result_error": php(errors), "result_total": php(totals),
                "result_next": php(nexts), "result_time": php(times)}


PORTAL = Portal()
TOKEN = "testtoken"


def envelope(result, t0, extra=None, op=None):
    t1 = time.time()
    body = {"result": result}
    if extra:
        body.update(extra)
    body["time"] = {"start": t0, "finish": t1, "duration": t1 - t0, "processing": t1 - t0,
                    "date_start": PORTAL.now_iso(), "date_finish": PORTAL.now_iso(),
                    "operating_reset_at": int(t1) + 600, "operating": 0}
    if op:
        body["time"].update(op)
    return body


class ApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.handle_api()

    def do_POST(self):
        self.handle_api()

    def handle_api(self):
        t0 = time.time()
        url = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        fault = PORTAL.take_fault()
        if fault == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault == "slow":
            time.sleep(PORTAL.slow_s)
        m = re.match(r"^/rest/(\d+)/([^/]+)/([A-Za-z0-9_.]+?)(?:\.json)?/?$", url.path)
        if not m or m.group(2) != TOKEN:
            return self.reply(401, {"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"})
        if not PORTAL.take_bucket():
            return self.reply(503, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"})
        if fault == "503":
            return self.reply(503, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"})
        if fault == "500":
            return self.reply(500, {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"})
        if fault == "401":
            return self.reply(401, {"error": "expired_token", "error_description": "The access token provided has expired."})
        if fault == "403":
            return self.reply(403, {"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the webhook token"})
        method = m.group(3)
        try:
            ctype = self.headers.get("Content-Type") or ""
            if raw and "json" in ctype:
                try:
                    params = json.loads(raw)
                except ValueError:
                    raise Fault(400, "INVALID_REQUEST", "Invalid JSON body")
                if not isinstance(params, dict):
                    raise Fault(400, "INVALID_REQUEST", "Body must be an object")
            else:
                params = php_parse(raw.decode("utf-8", "replace") if raw else url.query)
            if method == "batch":
                with PORTAL.lock:
                    PORTAL.calls["batch"] = PORTAL.calls.get("batch", 0) + 1
                res = PORTAL.batch(params)
                # the batch's own time: the most used of the methods it ran
                op = max((v for v in (res["result_time"] or {}).values()), key=lambda t: t.get("operating", 0),
                         default=None)
                return self.reply(200, envelope(res, t0, None, {k: op[k] for k in ("operating", "operating_reset_at")}
                                                if op else None))
            PORTAL.op_check(method)
            res, extra = PORTAL.call(method, params)
            return self.reply(200, envelope(res, t0, extra, PORTAL.op_charge(method, time.time() - t0)))
        except Fault as f:
            return self.reply(f.status, {"error": f.code, "error_description": f.desc})


class Api:
    """The API listener, which the control side can take down and up."""

    def __init__(self, port):
        self.port = port
        self.srv = None
        self.lock = threading.Lock()

    def up(self):
        with self.lock:
            if self.srv:
                return
            ThreadingHTTPServer.allow_reuse_address = True
            ThreadingHTTPServer.daemon_threads = True
            self.srv = ThreadingHTTPServer(("127.0.0.1", self.port), ApiHandler)
            self.port = self.srv.server_address[1]
            threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def down(self):
        with self.lock:
            if not self.srv:
                return
            self.srv.shutdown()
            self.srv.server_close()
            self.srv = None


API = None


class ControlHandler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, obj):
        data = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def state(self):
        with PORTAL.lock:
            return {"breaches": PORTAL.breaches, "requests": PORTAL.requests, "max_level": PORTAL.max_level,
                    "calls": dict(PORTAL.calls), "up": API.srv is not None, "op_blocks": PORTAL.op_blocks,
                    "operating": {m: round(a[0], 3) for m, a in PORTAL.op.items()},
                    "counts": {e: len(PORTAL.records[e]) for e in ENTITIES}, "comments": len(PORTAL.comments)}

    def do_GET(self):
        if self.path.startswith("/state"):
            return self.reply(self.state())
        if self.path.startswith("/dump"):
            with PORTAL.lock:
                return self.reply({"records": {e: list(PORTAL.records[e].values()) for e in ENTITIES},
                                   "comments": list(PORTAL.comments.values()),
                                   "userfields": PORTAL.userfields})
        self.send_error(404)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        c = json.loads(self.rfile.read(n) or b"{}")
        with PORTAL.lock:
            if c.get("reset"):
                PORTAL.reset()
            if "fault" in c:
                PORTAL.fault = c["fault"]
                PORTAL.fault_count = int(c.get("count", -1)) if c["fault"] else 0
                PORTAL.slow_s = float(c.get("slow_s", 3))
            if "rate" in c:
                PORTAL.rate = float(c["rate"])
            if "capacity" in c:
                PORTAL.capacity = float(c["capacity"])
            if "advance_s" in c:
                PORTAL.clock_offset += float(c["advance_s"])
            for k in ("op_cost", "op_limit", "op_window"):
                if k in c:
                    setattr(PORTAL, k, float(c[k]))
        if "down" in c:
            API.down() if c["down"] else API.up()
        self.reply(self.state())


def main():
    global API, TOKEN
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--control-port", type=int, default=0)
    ap.add_argument("--token", default="testtoken")
    ap.add_argument("--rate", type=float, default=2.0)
    ap.add_argument("--capacity", type=float, default=50.0)
    ap.add_argument("--ready-file")
    a = ap.parse_args()
    TOKEN = a.token
    PORTAL.rate, PORTAL.capacity = a.rate, a.capacity
    API = Api(a.port)
    API.up()
    ctl = ThreadingHTTPServer(("127.0.0.1", a.control_port), ControlHandler)
    info = json.dumps({"port": API.port, "control_port": ctl.server_address[1]})
    if a.ready_file:
        with open(a.ready_file + ".tmp", "w") as f:
            f.write(info)
        import os
        os.rename(a.ready_file + ".tmp", a.ready_file)
    print(info, flush=True)
    try:
        ctl.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
