#!/usr/bin/env python3
"""Signs in to a running site's back office and serves it, signed in, to a checker.

    scripts/admin-session.py http://127.0.0.1:8090 INVITATION_LINK en=8091 de=8092 el=8093

It accepts the invitation (setting a password, which signs the user in), then listens on each
given loopback port and forwards every GET to the site with the session's cookie and the
port's Accept-Language, so that tools that cannot sign in (webcheck's browsers) see the back
office as that user in that language. Only for checking; it stops with Ctrl-C or SIGTERM.
"""
import http.cookiejar
import http.server
import re
import sys
import threading
import urllib.parse
import urllib.request


def accept_invitation(site, link):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(link).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    password = "check-the-back-office-" + csrf[:8]
    body = urllib.parse.urlencode({"csrf": csrf, "name": "Checker", "password": password, "confirm": password}).encode()
    req = urllib.request.Request(link, data=body, headers={"Origin": site, "Content-Type": "application/x-www-form-urlencoded"})
    opener.open(req).read()
    for c in jar:
        if c.name == "alliance_session":
            return c.value
    sys.exit("admin-session: the invitation did not sign in (no alliance_session cookie)")


def proxy(site, session, lang):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            req = urllib.request.Request(site + self.path, headers={
                "Cookie": "alliance_session=" + session, "Accept-Language": lang})
            try:
                resp = urllib.request.urlopen(req)
            except urllib.error.HTTPError as e:
                resp = e
            body = resp.read()
            self.send_response(resp.status)
            for k, v in resp.headers.items():
                if k.lower() not in ("transfer-encoding", "connection", "content-length", "set-cookie"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    return Handler


def main():
    site, link, ports = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:]
    session = accept_invitation(site, link)
    for spec in ports:
        lang, port = spec.split("=")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), proxy(site, session, lang))
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("admin-session: ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
