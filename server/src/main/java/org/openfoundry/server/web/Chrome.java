package org.openfoundry.server.web;

import static java.util.Objects.requireNonNull;

/**
 * What the frame around every page needs: its title, the navigation section it belongs to, the
 * session's CSRF token (for forms and for the scripts' API calls), and who is signed in.
 */
record Chrome(String title, String section, String csrfToken, String signedInAs) {
  Chrome {
    requireNonNull(title, "title is null");
    requireNonNull(section, "section is null");
    requireNonNull(csrfToken, "csrfToken is null");
    requireNonNull(signedInAs, "signedInAs is null");
  }

  /** The frame of the sign-in page: nobody is signed in yet. */
  static Chrome anonymous(String title, String csrfToken) {
    return new Chrome(title, "", csrfToken, "");
  }

  boolean signedIn() {
    return !signedInAs.isEmpty();
  }

  /** {@code aria-current} for the navigation link of {@code name}, or null to leave it out. */
  String current(String name) {
    return section.equals(name) ? "page" : null;
  }
}
