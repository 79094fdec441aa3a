package dev.lanyard.idp.login;

import dev.lanyard.storage.model.User;

/**
 * A browser's live login session in one tenant.
 *
 * @param sessionId the login session's id (what logout and the admin API end)
 * @param authTime when the user typed their password, epoch seconds
 */
public record SignedIn(User user, String sessionId, long authTime) {}
