"""moto_server, as scripts/moto.sh starts it, less two costs moto pays on every request.

moto's dispatcher lists its own package folder (about 150 stat calls) to find a request's
service, under the lock every request thread takes: the list never changes while the server runs,
so it is read once. werkzeug writes one log line per request; MOTO_REQUEST_LOG=off leaves them out
(the fleet benchmark, whose hundreds of thousands of requests would otherwise spend a sixth of
moto's one core on them). Neither changes what moto answers.
"""
import logging
import os

import moto.backends
from moto.server import main

_MODULES = frozenset(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _MODULES

if os.environ.get("MOTO_REQUEST_LOG") == "off":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

if __name__ == "__main__":
    main()
