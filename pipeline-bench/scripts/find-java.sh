# Sourced by the benchmark scripts: sets JAVA to a Java 21+ (Maven may run on 17, so it looks for
# the JDK the toolchain uses), unless JAVA is set already.
JAVA="${JAVA:-}"
if [[ -z "$JAVA" ]]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*-2[1-9]*/bin/java "$(command -v java)"; do
    if [[ -x "$j" ]] && "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA="$j"; break; fi
  done
fi
[[ -n "$JAVA" ]] || { echo "no Java 21+ found; set JAVA=/path/to/java" >&2; exit 1; }
