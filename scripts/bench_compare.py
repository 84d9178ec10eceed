"""The comparison mode of scripts/bench: the app's pages side by side with a
minimal reference app (examples/reference.rs) on the same machine, the same
PostgreSQL and the same load, alternating, so the ratio means something on a
2-core box where absolute figures don't.

scripts/bench compare starts PostgreSQL (with pg_stat_statements), both apps
and seeds the data, then runs this with everything it needs in the
environment: APP_URL, REF_URL, APP_PID, REF_PID, PGDATA (for the postmaster's pid),
PSQL_ARGS (how to run psql), DURATION, ROUNDS, THREADS, CONNECTIONS, WORK (a
scratch dir with count.lua), DEMO_PASSWORD, STARTUP_S (start to first
/healthz). It prints a table and writes $WORK/compare.json and
$WORK/compare.md (the README's table). Exit 1 when a target is missed.
"""

import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import struct
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser

APP = os.environ["APP_URL"].rstrip("/")
REF = os.environ["REF_URL"].rstrip("/")
APP_PID = int(os.environ["APP_PID"])
REF_PID = int(os.environ["REF_PID"])
PGDATA = os.environ["PGDATA"]
PSQL = os.environ["PSQL_ARGS"].split()
DURATION = os.environ.get("DURATION", "10s")
ROUNDS = int(os.environ.get("ROUNDS", "2"))
THREADS = os.environ.get("THREADS", "2")
CONNECTIONS = os.environ.get("CONNECTIONS", "64")
WORK = os.environ["WORK"]
PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-password-1")
TICK_US = 1_000_000 / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- HTTP as a person


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.csrf, self.next = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if "next" in (a.get("rel") or "").split():
                self.next = a["href"]
        if tag == "input" and a.get("name") == "csrf_token" and self.csrf is None:
            self.csrf = a.get("value")


DEMO_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(secret, now=None):
    """RFC 6238 (SHA-1, 30 s, 6 digits): the code an authenticator app shows."""
    counter = int(time.time() if now is None else now) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


# RFC 6238's own test vector (its 20-byte ASCII key), so a broken code can't pass unseen.
assert totp(base64.b32encode(b"12345678901234567890").decode(), 59) == "287082"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Person:
    """A browser's cookie jar, signed in as one demo account."""

    def __init__(self, email=None):
        self.jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        if email:
            self.sign_in(email)

    def get(self, path):
        try:
            with self.http.open(APP + path, timeout=30) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def page(self, path):
        status, body = self.get(path)
        if status != 200:
            sys.exit(f"GET {path} answered {status}")
        scan = Links()
        scan.feed(body)
        return scan

    def sign_in(self, email):
        token = self.page("/login").csrf
        data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
        location = None
        try:
            self.http.open(APP + "/login", data=data, timeout=30)
        except urllib.error.HTTPError as e:
            if e.code not in (302, 303):
                sys.exit(f"signing in as {email}: {e.code}")
            location = e.headers.get("Location")
        if location == "/login/code":
            # Staff sign in with a second factor: seed-demo enrolled them all
            # with the README's demo secret.
            token = self.page("/login/code").csrf
            data = urllib.parse.urlencode({"code": totp(DEMO_SECRET), "csrf_token": token}).encode()
            try:
                self.http.open(APP + "/login/code", data=data, timeout=30)
            except urllib.error.HTTPError as e:
                if e.code not in (302, 303):
                    sys.exit(f"the second step for {email}: {e.code}")
        if not any(c.name == "so_session" for c in self.jar):
            sys.exit(f"no session cookie after signing in as {email}")

    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def first(scan, pattern):
    for href in scan.hrefs:
        if re.fullmatch(pattern, href):
            return href
    sys.exit(f"no link matching {pattern}")


# ---------------------------------------------------------------- what is measured


def proc_cpu_us(pid):
    """utime + stime (+ the children it waited for) of a process, in µs."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) * TICK_US


def postgres_cpu_us():
    with open(os.path.join(PGDATA, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = proc_cpu_us(postmaster)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster:
                total += sum(int(x) for x in fields[11:13]) * TICK_US
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total


def sql(query):
    out = subprocess.run(PSQL + ["-At", "-c", query], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def counters(pid):
    # Other backends' statistics reach the views within a second of their transactions.
    time.sleep(1.2)
    statements = int(sql("select coalesce(sum(calls), 0) from pg_stat_statements") or 0)
    session_writes = int(
        sql(
            "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_all_tables "
            "where schemaname = 'tower_sessions' and relname = 'session'"
        )
        or 0
    )
    return {"app_us": proc_cpu_us(pid), "pg_us": postgres_cpu_us(), "statements": statements,
            "session_writes": session_writes}


def peak_rss_mb():
    with open(f"/proc/{APP_PID}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk(url, cookie):
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s",
            os.path.join(WORK, "count.lua")]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args + [url], capture_output=True, text=True).stdout
    m = re.search(r"RESULT rps=([\d.]+) p50_us=(\d+) p99_us=(\d+) requests=(\d+) non2xx=(\d+) socket_errors=(\d+)", out)
    if not m:
        sys.exit(f"no result from wrk for {url}:\n{out}")
    rps, p50, p99, n, non2xx, errors = m.groups()
    return {"rps": float(rps), "p50_ms": int(p50) / 1000, "p99_ms": int(p99) / 1000, "requests": int(n),
            "non2xx": int(non2xx), "errors": int(errors)}


def measure(url, cookie, pid):
    """One wrk run against `url`, with the CPU, statements and session writes
    of the process `pid` (the app or the reference) and PostgreSQL's."""
    before = counters(pid)
    result = wrk(url, cookie)
    after = counters(pid)
    n = max(result["requests"], 1)
    for key in ("app_us", "pg_us", "statements", "session_writes"):
        result[key] = (after[key] - before[key]) / n
    return result


# ---------------------------------------------------------------- the pages


def pages():
    family, coordinator = Person("family@demo.test"), Person("coordinator@demo.test")
    specialist, clinician, admin = Person("specialist@demo.test"), Person("clinician@demo.test"), Person("admin@demo.test")
    dashboard = family.page("/family")
    case = first(dashboard, r"/family/cases/[0-9a-f-]{36}")
    opinion = None
    for href in dashboard.hrefs:
        if re.fullmatch(r"/family/cases/[0-9a-f-]{36}", href) and family.get(href + "/opinion")[0] == 200:
            opinion = href + "/opinion"
            break
    queue = coordinator.page("/coordinator")
    # A case no one has taken is the coordinator's to open; one another
    # coordinator holds answers the break-glass page (403) instead.
    workspace = first(coordinator.page("/coordinator?unassigned=1"), r"/coordinator/cases/[0-9a-f-]{36}")
    deep, scan = "/coordinator", queue
    for _ in range(100):
        if not scan.next:
            break
        deep = urllib.parse.urljoin("/coordinator", scan.next)
        scan = coordinator.page(deep)
    out = [
        ("landing page (anonymous)", "/", None),
        ("sign-in page (anonymous)", "/login", None),
        ("family dashboard", "/family", family),
        ("family case page", case, family),
    ]
    if opinion:
        out.append(("opinion page", opinion, family))
    out += [
        ("coordinator queue, first page", "/coordinator", coordinator),
        ("coordinator queue, page 101", deep, coordinator),
        ("coordinator queue, name search", "/coordinator?q=oka", coordinator),
        ("coordinator case workspace", workspace, coordinator),
        ("specialist home", "/specialist", specialist),
        ("clinician calls", "/clinician", clinician),
    ]
    if admin.get("/admin/reports")[0] == 200:
        out.append(("admin reports", "/admin/reports", admin))
    return [(name, path, who.cookie() if who else None) for name, path, who in out]


# ---------------------------------------------------------------- run


def main():
    listed = pages()
    runs = {name: [] for name, _, _ in listed}
    runs["reference: fortunes + session lookup"] = []
    runs["reference: plaintext"] = []
    reference = lambda: runs["reference: fortunes + session lookup"].append(measure(REF + "/fortunes", None, REF_PID))
    for r in range(ROUNDS):
        print(f"round {r + 1} of {ROUNDS}", flush=True)
        reference()
        runs["reference: plaintext"].append(measure(REF + "/plaintext", None, REF_PID))
        for i, (name, path, cookie) in enumerate(listed):
            if i and i % 4 == 0:
                reference()
            print(f"  {name}", flush=True)
            runs[name].append(measure(APP + path, cookie, APP_PID))
        reference()

    def median(name, key):
        values = [m[key] for m in runs[name] if key in m]
        return statistics.median(values) if values else None

    ref_rps = median("reference: fortunes + session lookup", "rps")
    ref_p99 = median("reference: fortunes + session lookup", "p99_ms")
    plain_rps = median("reference: plaintext", "rps")
    rows, failures = [], []
    for name in runs:
        row = {k: median(name, k) for k in ("rps", "p50_ms", "p99_ms", "app_us", "pg_us", "statements", "session_writes")}
        row["non2xx"] = sum(m["non2xx"] + m["errors"] for m in runs[name])
        anonymous = name.endswith("(anonymous)")
        base = plain_rps if anonymous else ref_rps
        row["share"] = row["rps"] / base if base else None
        row["of"] = "plaintext" if anonymous else "reference"
        rows.append((name, row))
        if name.startswith("reference"):
            continue
        want = 0.3 if name.startswith("landing") else 0.2 if name.startswith("sign-in") else 0.5
        if row["share"] is not None and row["share"] < want:
            failures.append(f"{name}: {row['share']:.2f} of {row['of']} (target {want})")
        if not anonymous and ref_p99 and row["p99_ms"] > 3 * ref_p99:
            failures.append(f"{name}: p99 {row['p99_ms']:.1f} ms is over 3x the reference's {ref_p99:.1f} ms")
        if anonymous and row["session_writes"]:
            failures.append(f"{name}: {row['session_writes']:.3f} session writes per request (target 0)")
        if row["non2xx"]:
            failures.append(f"{name}: {row['non2xx']} non-2xx responses or socket errors")
    first_p99 = dict(rows)["coordinator queue, first page"]["p99_ms"]
    deep_p99 = dict(rows)["coordinator queue, page 101"]["p99_ms"]
    if deep_p99 > 1.5 * first_p99:
        failures.append(f"queue page 101 p99 {deep_p99:.1f} ms is over 1.5x the first page's {first_p99:.1f} ms")
    rss = peak_rss_mb()
    if rss > 100:
        failures.append(f"peak RSS {rss:.0f} MB (target 100 MB)")
    startup = float(os.environ.get("STARTUP_S", "0"))
    if startup > 1:
        failures.append(f"start to first /healthz {startup:.2f} s (target 1 s)")

    fmt = lambda v, f: "" if v is None else f.format(v)
    header = "| page | req/s | p50 | p99 | share | app (or reference) µs/req | PostgreSQL µs/req | statements/req | session writes/req |"
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in rows:
        share = "1.00" if name.startswith("reference: fortunes") else (
            "" if name.startswith("reference: plaintext") else f"{r['share']:.2f}" + (" of plaintext" if r["of"] == "plaintext" else ""))
        lines.append(
            f"| {name} | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {share} | "
            f"{fmt(r['app_us'], '{:.0f}')} | {fmt(r['pg_us'], '{:.0f}')} | {fmt(r['statements'], '{:.1f}')} | "
            f"{fmt(r['session_writes'], '{:.3f}')} |"
        )
    summary = f"Peak RSS {rss:.0f} MB; start to first /healthz {startup:.2f} s; {ROUNDS} rounds of wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}, medians."
    table = "\n".join(lines)
    print("\n" + table + "\n\n" + summary)
    with open(os.path.join(WORK, "compare.md"), "w") as f:
        f.write(table + "\n\n" + summary + "\n")
    with open(os.path.join(WORK, "compare.json"), "w") as f:
        json.dump({"rows": dict(rows), "peak_rss_mb": rss, "startup_s": startup, "runs": runs}, f, indent=1)
    if failures:
        print("\nMISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nPASS: every target met")


if __name__ == "__main__":
    main()
