# Sourced by ./foundry, ./build and .ci/run: finds a JDK 21 or newer and exports JAVA_HOME.
# Order: JAVA_HOME, `java` on the PATH, then the usual JDK folders of Linux and macOS.

_openfoundry_java_major() {
  # Prints the feature version of the java binary $1 (17, 21, 25, ...) or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

_openfoundry_candidates() {
  [ -n "${JAVA_HOME:-}" ] && echo "$JAVA_HOME"
  if command -v java >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
  fi
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$dir" ] && echo "$dir"
  done
}

openfoundry_find_jdk() {
  local best="" best_major=0 candidate major
  while IFS= read -r candidate; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(_openfoundry_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done < <(_openfoundry_candidates)
  if [ -z "$best" ]; then
    echo "OpenFoundry needs a JDK 21 or newer, and none was found." >&2
    echo "Looked at JAVA_HOME, the java on the PATH, /usr/lib/jvm, /opt/java and the macOS JDK folder." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
