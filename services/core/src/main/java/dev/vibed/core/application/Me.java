package dev.vibed.core.application;

import java.util.Set;

/** The caller as the platform sees it, with how much of their app quota they use. */
public record Me(String subject, boolean admin, Set<String> roles, int apps, int maxApps) {
}
