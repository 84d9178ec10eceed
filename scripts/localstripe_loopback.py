"""Run localstripe (fake Stripe API) on 127.0.0.1 only.

The stock `localstripe` CLI binds [::] (all interfaces) and rewrites
/tmp/localstripe.pickle (a fixed path shared by every instance) on every
write. This wrapper binds loopback and keeps the store in memory only.

Usage: .peers-venv/bin/python scripts/localstripe_loopback.py PORT
"""
import logging
import sys

from aiohttp import web
import localstripe.resources as res

res.Store.dump_to_disk = lambda self: None  # in-memory only, no pickle file

from localstripe.server import app  # noqa: E402  (import after the patch)

log = logging.getLogger('aiohttp.access')
log.setLevel(logging.INFO)
log.addHandler(logging.StreamHandler())
web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), access_log=log)
