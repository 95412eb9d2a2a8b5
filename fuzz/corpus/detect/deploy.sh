#!/bin/sh
set -e

export TOKEN=tst_iKE9Ii14QitQCsqfNISB
curl -H "X: tst_mGS4LgIeMdWRDwhduGKZ" https://api.invalid/
