#!/bin/sh
set -e
echo "starting worker"
node worker.js --queue default
