#!/usr/bin/env bash
# nginx in front of several `tianguis serve`, for the tests and scripts/cluster.sh:
# `scripts/load-balancer.sh PORT HOST:PORT…` listens at 127.0.0.1:PORT and shares the
# requests among the servers (round robin); a request that finds a server gone (not
# answering, a connection refused) goes to the next one, so a server may be killed
# and started again behind it. Runs until stopped (SIGTERM); its files live in a
# temporary folder, removed then.
set -euo pipefail
port=${1:?usage: scripts/load-balancer.sh PORT HOST:PORT...}
shift
[ $# -gt 0 ] || { echo "usage: scripts/load-balancer.sh PORT HOST:PORT..." >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is not installed: apt-get install nginx" >&2; exit 1; }

dir=$(mktemp -d -t tianguis-nginx.XXXXXX)
# nginx's workers (another user when started as root) keep large bodies under it.
chmod 755 "$dir"
servers=""
for address in "$@"; do
  servers+="    server $address max_fails=1 fail_timeout=2s;"$'\n'
done
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  # Photos are uploaded through it (the server refuses what is over its own limit).
  client_max_body_size 32m;
  upstream tianguis {
$servers    keepalive 32;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://tianguis;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      # The servers believe it with TIANGUIS_TRUSTED_PROXIES=127.0.0.1.
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A server that is down is skipped; a request it had already begun is not
      # sent twice (POSTs are not retried once sent).
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
    }
  }
}
CONF
nginx -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
trap 'kill -TERM $nginx_pid 2>/dev/null; wait $nginx_pid 2>/dev/null; rm -rf "$dir"' EXIT
trap 'exit 0' TERM INT
wait $nginx_pid
