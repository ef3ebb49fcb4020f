"""A throw-away lotbox with a kiosk for the scripts that look at the staff screens (script/screenshots,
script/screens-latency): a store made with the CLI, a FIFO standing in for the counter's reader, a real
`lotbox serve` on a free loopback port, and Debian's headless Chromium driven by selenium.
Proxies are dropped first: the browser and selenium talk to loopback only."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

for _variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_variable, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "*"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LICENSE = "R-900009"
BUDTENDER = ("Riley Counter", "482916")


def wait(what, condition, seconds=30, step=0.002):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:
            pass
        time.sleep(step)
    sys.exit("waited %d s for %s" % (seconds, what))


class Box:
    """The store, its config and `lotbox serve`; `environment` reaches the CLI commands that make the
    store (e.g. libfaketime), `serve_environment` serve (script/screenshots runs it under the same
    fixed clock; it may then not heed SIGTERM, so it is killed sooner)."""

    def __init__(self, binary, environment=None, kiosk_extra="", dock=False, more_config="", serve_environment=None):
        self.binary = binary
        self.folder = tempfile.mkdtemp(prefix="lotbox-screens-")
        self.db = os.path.join(self.folder, "lotbox.sqlite")
        self.environment = environment or {}
        self.kiosk_extra = kiosk_extra
        # A dock station "dock" of the same license with its own reader (self.dock_fifo), and more of the config (printers...).
        self.dock = dock
        self.more_config = more_config
        self.serve_environment = serve_environment
        self.config = os.path.join(self.folder, "lotbox.toml")
        self.serve = None
        self.log = None

    def cli(self, *arguments, stdin=None, store=True):
        done = subprocess.run([self.binary, *(["--db", self.db] if store else []), *arguments], input=stdin, capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, LOTBOX_ACTOR="screens", **self.environment))
        if done.returncode != 0:
            sys.exit("lotbox %s: %s" % (" ".join(arguments), done.stderr.strip()))
        return done.stdout.strip()

    def start(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        key = os.path.join(self.folder, "server.key")
        self.cli("api", "keygen", "--out", key, store=False)
        self.fifo = os.path.join(self.folder, "reader")
        os.mkfifo(self.fifo, 0o600)
        self.write_config(key)
        self.log = open(os.path.join(self.folder, "serve.log"), "w", encoding="utf-8")
        environment = dict(os.environ, **self.serve_environment) if self.serve_environment else None
        self.serve = subprocess.Popen([self.binary, "serve", "--config", self.config], stdout=self.log, stderr=self.log,
                                      stdin=subprocess.DEVNULL, env=environment)
        self.base = "http://127.0.0.1:%d" % self.port

    def write_config(self, key):
        dock = ""
        if self.dock:
            self.dock_fifo = os.path.join(self.folder, "dock-reader")
            os.mkfifo(self.dock_fifo, 0o600)
            dock = ('[[scanners]]\nname = "dock-reader"\npath = "%s"\nkind = "stream"\nstation = "dock"\n\n'
                    '[[stations]]\nname = "dock"\nkind = "dock"\nlicense = "%s"\n\n' % (self.dock_fifo, LICENSE))
        with open(self.config, "w", encoding="utf-8") as handle:
            handle.write('store = "%s"\ntemplates = "%s/Templates"\nscanner_directory = "%s/no-udev"\n\n'
                         '[api]\nlisten = "127.0.0.1:%d"\nkey = "%s"\npages = "%s/Pages"\n\n'
                         '[[scanners]]\nname = "reader"\npath = "%s"\nkind = "stream"\nstation = "counter"\n\n'
                         '[[stations]]\nname = "counter"\nkind = "kiosk"\nlicense = "%s"\n%s\n\n%s%s\n'
                         % (self.db, ROOT, self.folder, self.port, key, ROOT, self.fifo, LICENSE, self.kiosk_extra, dock, self.more_config))

    def scan(self, text, fifo=None):
        """What the counter's reader (or `fifo`, the dock's) would type (the FIFO stays open only for this write)."""
        with open(fifo or self.fifo, "w", encoding="ascii") as writer:
            writer.write(text)

    def stop(self, failed=False):
        if failed and self.log is not None:
            self.log.flush()
            with open(self.log.name, encoding="utf-8", errors="replace") as handle:
                sys.stderr.write("serve's log:\n" + handle.read()[-3000:])
        if self.serve is not None:
            self.serve.terminate()
            try:
                # Under a faked clock serve may not heed SIGTERM: it is a throw-away, so it is killed sooner.
                self.serve.wait(timeout=3 if self.serve_environment else 20)
            except subprocess.TimeoutExpired:
                self.serve.kill()
        if self.log is not None:
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-proxy-server",
                     "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=%d,%d" % (width, height)):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    # The window's outer size includes no frame in headless mode, but set the viewport exactly anyway.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    return driver


def sign_in(driver, base, name=BUDTENDER[0], pin=BUDTENDER[1]):
    def reachable():
        try:
            driver.get(base + "/signin")
            return driver.find_elements(By.ID, "employee")
        except Exception:
            return False
    wait("lotbox serve's sign-in page", reachable, step=0.2)
    driver.find_element(By.ID, "employee").send_keys(name)
    driver.find_element(By.ID, "pin").send_keys(pin)
    driver.find_element(By.ID, "signin-button").click()
    wait("the sign-in", lambda: driver.current_url.rstrip("/") == base)
