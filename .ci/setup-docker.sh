#!/bin/sh
# Builds the local images porthole's Docker tests use (there is no registry); idempotent, `--force` rebuilds.
# Needs a running engine (`docker info` answers) and busybox-static's /bin/busybox.
set -eu

BUSYBOX=${BUSYBOX:-/bin/busybox}
FORCE=${1:-}
[ -x "$BUSYBOX" ] || { echo "setup-docker: $BUSYBOX not found (apt-get install -y busybox-static)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "setup-docker: no Docker engine answers (start dockerd first)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A root filesystem with busybox, its applet links and the few files a shell and `id` expect.
make_rootfs() {
  root=$1
  mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
}

# build NAME SETUP_FUNCTION [docker import --change ...]
build() {
  name=$1; setup=$2; shift 2
  if [ "$FORCE" != "--force" ] && docker image inspect "$name" >/dev/null 2>&1; then
    echo "setup-docker: $name already present"
    return
  fi
  root="$work/$(echo "$name" | tr '/:' '__')"
  make_rootfs "$root"
  "$setup" "$root"
  tar -C "$root" -c . | docker import "$@" - "$name" >/dev/null
  echo "setup-docker: built $name"
}

plain() { :; }

# A service: busybox httpd on port 80; /cgi-bin/env shows the variables the service was started with.
httpd_files() {
  mkdir -p "$1/www/cgi-bin"
  echo "porthole service ok" > "$1/www/index.html"
  printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "SERVICE_GREETING=$SERVICE_GREETING"\necho "CI_JOB_ID=$CI_JOB_ID"\n' \
    > "$1/www/cgi-bin/env"
  chmod 755 "$1/www/cgi-bin/env"
}

# An image whose shell lookup finds a `bash` (a wrapper around busybox sh that marks itself).
fake_bash() {
  rm -f "$1/bin/bash"
  printf '#!/bin/sh\nexport PORTHOLE_TEST_SHELL=bash\nexec /bin/sh "$@"\n' > "$1/bin/bash"
  chmod 755 "$1/bin/bash"
}

build porthole-test/busybox plain --change 'CMD ["sh"]'
build porthole-test/httpd httpd_files --change 'EXPOSE 80' --change 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]'
build porthole-test/bash fake_bash --change 'CMD ["sh"]'
# An entrypoint that refuses to run anything: jobs must clear it with `entrypoint: [""]`.
build porthole-test/entrypoint plain --change 'ENTRYPOINT ["/bin/sh", "-c", "echo entrypoint refuses >&2; exit 3"]'
