package sh.eraser.images;

import java.util.Locale;
import java.util.regex.Pattern;

/** Splits the repository part of a reference into a registry domain and a path, and checks both. */
record RepositoryName(String domain, String path) {

  static final String DEFAULT_DOMAIN = "docker.io";

  // Docker Hub's old name; runtimes store references under docker.io.
  private static final String LEGACY_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_NAMESPACE = "library/";
  private static final String LOCALHOST = "localhost";
  private static final int MAX_LENGTH = 255;

  private static final String HOST_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:" + HOST_LABEL + "(?:\\." + HOST_LABEL + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

  /**
   * Parses a full repository name the way containerd and Docker do: a first component that holds a
   * dot or a colon, or is {@code localhost}, names the registry; otherwise the registry is Docker
   * Hub, where a one-component path is an official image under {@code library/}.
   */
  static RepositoryName parse(String input, String name) {
    RepositoryName split = split(input, name);
    if (split.domain.equals(DEFAULT_DOMAIN) && split.path.indexOf('/') < 0) {
      return new RepositoryName(DEFAULT_DOMAIN, OFFICIAL_NAMESPACE + split.path);
    }
    return split;
  }

  /**
   * Normalises the part of a {@code registry/path/*} pattern before the {@code /*}, returning the
   * repository prefix it stands for, ending in {@code /}. No {@code library/} is added: {@code
   * team/*} covers {@code docker.io/team/...}.
   */
  static String prefix(String input, String name) {
    if (name.indexOf('/') < 0 && looksLikeDomain(name)) {
      return domain(input, name) + "/";
    }
    RepositoryName split = split(input, name);
    return split.domain + "/" + split.path + "/";
  }

  String repository() {
    return domain + "/" + path;
  }

  private static RepositoryName split(String input, String name) {
    if (name.length() > MAX_LENGTH) {
      throw new InvalidImageReferenceException(
          input, "the repository name is longer than " + MAX_LENGTH + " characters");
    }
    int slash = name.indexOf('/');
    if (slash >= 0 && looksLikeDomain(name.substring(0, slash))) {
      return new RepositoryName(
          domain(input, name.substring(0, slash)), path(input, name.substring(slash + 1)));
    }
    return new RepositoryName(DEFAULT_DOMAIN, path(input, name));
  }

  private static boolean looksLikeDomain(String component) {
    return component.contains(".") || component.contains(":") || component.equals(LOCALHOST);
  }

  private static String domain(String input, String domain) {
    if (!DOMAIN.matcher(domain).matches()) {
      throw new InvalidImageReferenceException(
          input, "\"" + domain + "\" is not a valid registry host[:port]");
    }
    return domain.equals(LEGACY_DOMAIN) ? DEFAULT_DOMAIN : domain;
  }

  private static String path(String input, String path) {
    if (path.isEmpty()) {
      throw new InvalidImageReferenceException(input, "the repository path is empty");
    }
    for (String component : path.split("/", -1)) {
      checkComponent(input, component);
    }
    return path;
  }

  private static void checkComponent(String input, String component) {
    if (COMPONENT.matcher(component).matches()) {
      return;
    }
    if (component.isEmpty()) {
      throw new InvalidImageReferenceException(input, "the repository path has an empty component");
    }
    if (!component.equals(component.toLowerCase(Locale.ROOT))) {
      throw new InvalidImageReferenceException(input, "the repository name must be lowercase");
    }
    throw new InvalidImageReferenceException(
        input,
        "path component \""
            + component
            + "\" must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
  }
}
