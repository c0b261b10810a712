#!/usr/bin/env bash
# Start the product for evaluation: migrate, load the demo institution, then run the web server with a
# Celery worker and beat beside it. Stopping the server (Ctrl-C) stops the worker too.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
mkdir -p var/celery/broker var/celery/processed var/log

$BIN/python manage.py migrate --noinput
$BIN/python manage.py seed_demo

$BIN/celery -A integrity worker --beat -Q celery,lights,printing,imports --concurrency=1 --loglevel=INFO \
  --schedule var/celery/beat-schedule >var/log/celery.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<TEXT

  廉政风险防控平台 is starting at http://$HOST:$PORT/
  Demo accounts (password: ${DEMO_PASSWORD:-integrity-demo}):
    officer    干警 (公诉处)              depthead   部门负责人 (公诉处处长)
    deputy     分管领导 (副检察长)         chief      一把手 (检察长)
    inspector  纪检监察 (纪检组)           admin      系统管理员
  Celery worker and beat log to var/log/celery.log. Stop with Ctrl-C.

TEXT
$BIN/python manage.py runserver "$HOST:$PORT"
