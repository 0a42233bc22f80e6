#!/bin/sh
set -e
. venv/bin/activate
flask db upgrade
exec gunicorn -b :5000 --access-logfile - --error-logfile - app:app
