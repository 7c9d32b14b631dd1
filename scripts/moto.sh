# Sourced by scripts/test and bin/quickstart: installs moto[server] (MOTO_VERSION) into .venv when missing or another version
# and starts it on a free loopback port. Sets MOTO_ENDPOINT and MOTO_PID; the caller stops it.
# moto runs no containers: an ECS service reports MOTO_ECS_SERVICE_RUNNING tasks running from its
# creation, and its deployment is COMPLETED only when that covers its desired count. 20 is more than
# any test or example spec asks for, so applies, which wait for steady deployments, complete.

TERRACE_ROOT=${TERRACE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MOTO_VENV=${MOTO_VENV:-$TERRACE_ROOT/.venv}

# One exact version: the tests assert what moto emulates and what it does not (docs/aws.md,
# Emulator gaps), and a patch release can change either.
MOTO_VERSION=5.2.6

ensure_moto() {
  local installed=""
  if [ -x "$MOTO_VENV/bin/moto_server" ]; then
    installed=$("$MOTO_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true)
  fi
  if [ "$installed" != "$MOTO_VERSION" ]; then
    echo "terrace: installing moto[server] $MOTO_VERSION into $MOTO_VENV" >&2
    [ -x "$MOTO_VENV/bin/pip" ] || python3 -m venv "$MOTO_VENV"
    "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_moto() {
  ensure_moto
  local port log
  port=$(free_port)
  log=${1:-$TERRACE_ROOT/target/moto.log}
  mkdir -p "$(dirname "$log")"
  # ACM issues a requested certificate at its first read (as if its DNS records were published);
  # ECS reports a new service's tasks as running (moto's deployments never change after it);
  # IAM knows the AWS-managed policies, so that roles can have them attached. scripts/moto_server.py
  # is moto_server less work that changes no answer, and without the HTTP 500s of its request threads
  # racing over the same dictionaries (its docstring lists each change; MOTO_REQUEST_LOG=off: no access log).
  MOTO_ACM_VALIDATION_WAIT=${MOTO_ACM_VALIDATION_WAIT:-0} MOTO_ECS_SERVICE_RUNNING=${MOTO_ECS_SERVICE_RUNNING:-20} \
    MOTO_IAM_LOAD_MANAGED_POLICIES=true \
    "$MOTO_VENV/bin/python" "$TERRACE_ROOT/scripts/moto_server.py" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  MOTO_ENDPOINT="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$MOTO_ENDPOINT/moto-api/" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
      echo "terrace: moto_server exited; see $log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "terrace: moto_server did not answer on $MOTO_ENDPOINT; see $log" >&2
  return 1
}

stop_moto() {
  if [ -n "${MOTO_PID:-}" ]; then
    kill "$MOTO_PID" 2>/dev/null
    wait "$MOTO_PID" 2>/dev/null
    MOTO_PID=
  fi
}
