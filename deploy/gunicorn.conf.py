"""gunicorn settings for one pbapp app server behind nginx (deploy/nginx-pbapp.conf).

The unit (systemd/pbapp@.service) gives the address: ``--bind unix:/run/pbapp/%i.sock``; a
server on another machine binds a private address instead (``--bind 10.0.0.12:8000``).
Environment (``/etc/pbapp/pbapp.env``): DATABASE_URL, REDIS_URL, SECRET_KEY, PBAPP_ENV=production.
"""
import multiprocessing
import os

wsgi_app = "wsgi:app"
#: sync workers: a request at a time each; nginx buffers slow clients, so 2 per core is enough
workers = int(os.environ.get("PBAPP_WORKERS") or 2 * multiprocessing.cpu_count())
worker_class = "sync"
#: a worker stuck this long is killed and replaced (its request answers 502 at nginx)
timeout = 30
graceful_timeout = 20
#: a worker is replaced after this many requests (with jitter, so not all at once)
max_requests = 5000
max_requests_jitter = 500
#: the scheme comes from X-Forwarded-Proto through the app's ProxyFix only (one hop, nginx);
#: gunicorn's own reading of X-Forwarded-Proto/-Ssl/-Protocol is turned off
secure_scheme_headers = {}
forwarded_allow_ips = "127.0.0.1"
#: logs go to the journal; nothing else is kept on the server's disk
accesslog = os.environ.get("PBAPP_ACCESS_LOG") or None
errorlog = "-"
#: gunicorn >= 24 opens a control socket at one path in $HOME: two servers on one machine would
#: share it (and ProtectHome hides $HOME); `systemctl reload/restart pbapp@N` does its work
control_socket_disable = True
