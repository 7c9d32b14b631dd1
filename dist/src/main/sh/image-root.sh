#!/bin/sh
# Lays out the image's files under $1 from the shaded jar $2, the completion script $3 and the JDK
# running the build ($4): a runtime made by jlink from that JDK (no registry is needed for a base
# image), the C libraries it links against, the CA certificates, /tmp and a passwd entry for the
# non-root user the container runs as.
set -eu
root=$1 jar=$2 completion=$3 jdk=$4
rm -rf "$root"
# Jib also layers the module's own (empty) classes folder.
mkdir -p "$root/../classes"
mkdir -p "$root/opt" "$root/app" "$root/tmp" "$root/etc" "$root/usr/share/bash-completion/completions"
if [ -d "$jdk/jmods" ] && [ -x "$jdk/bin/jlink" ]; then
  "$jdk/bin/jlink" --add-modules java.se,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.zipfs,jdk.naming.dns,jdk.charsets \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"
else
  # A JDK without its jmods (Debian ships them as openjdk-17-jmods) cannot jlink: the image gets
  # the whole runtime of the build's JDK instead, about four times larger.
  echo "image-root: no $jdk/jmods, copying the JDK's runtime as it is" >&2
  mkdir -p "$root/opt/java"
  # Links followed; a dangling one (Debian's lib/src.zip) is only warned about.
  (cd "$jdk" && tar -chf - --exclude=src.zip bin conf lib release 2>/dev/null || true) | tar -xf - -C "$root/opt/java"
fi
# The JDK's cacerts may be a link to the system's store: the image gets the file itself.
rm -f "$root/opt/java/lib/security/cacerts"
cp -L "$jdk/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"
# The runtime's binaries are linked against the C library: copy what they load, loader included
# (the desktop libraries, which want X11 and fonts, are never loaded by a server and are skipped).
find "$root/opt/java/bin" "$root/opt/java/lib" -type f \( -path '*/bin/*' -o -name '*.so' \) \
  | grep -Ev '/lib(awt|awt_xawt|awt_headless|fontmanager|jawt|splashscreen|lcms|javajpeg|mlib_image|jsound)\.so$' \
  | xargs ldd 2>/dev/null | grep -o '=> /[^ ]*\|^\s*/[^ ]*' | grep -o '/[^ ]*' | grep -v "^$root" | sort -u \
  | while read -r lib; do cp -L --parents "$lib" "$root"; done
cp "$jar" "$root/app/terrace.jar"
cp "$completion" "$root/usr/share/bash-completion/completions/terrace"
printf 'root:x:0:0:root:/root:/sbin/nologin\nterrace:x:65532:65532:terrace:/tmp:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nterrace:x:65532:\n' > "$root/etc/group"
