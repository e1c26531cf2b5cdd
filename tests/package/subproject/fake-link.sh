#!/bin/sh
# fake-link.sh MODULE LINK-COMMAND...: the link launcher of the parent's
# module target: copy MODULE where the link command's -o names, run nothing.
module=$1
shift
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then
    exec cp "$module" "$2"
  fi
  shift
done
echo "fake-link.sh: no -o in the link command" >&2
exit 1
