"""Minimal workload: answers the load balancer's health check until the reference service is deployed.

Standard library only (python3 ships with Amazon Linux 2023). Configured by APP_PORT and HEALTH_PATH; one access
line per request on stdout, which systemd appends to the app log the CloudWatch agent ships.
"""

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("APP_PORT", "8080"))
HEALTH_PATH = os.environ.get("HEALTH_PATH", "/health")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Longer than the load balancer's 60-second idle timeout, so the load balancer closes idle connections first.
    timeout = 65

    def version_string(self):
        return "app"

    def do_GET(self):
        self._reply(include_body=True)

    def do_HEAD(self):
        self._reply(include_body=False)

    def _reply(self, include_body):
        healthy = self.path.split("?", 1)[0] == HEALTH_PATH
        body = b'{"status":"ok"}\n' if healthy else b'{"status":"not found"}\n'
        self.send_response(200 if healthy else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        print("%s %s" % (self.address_string(), format % args), flush=True)


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
