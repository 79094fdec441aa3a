/**
 * Server-rendered HTML pages: {@link dev.lanyard.idp.pages.PageRenderer} (auto-escaping Pebble templates in one
 * shared layout with the tenant's display name), {@link dev.lanyard.idp.pages.PageAssets} (the one stylesheet),
 * {@link dev.lanyard.idp.pages.CsrfTokens} (form tokens). Endpoints with pages (login, authorize, device, logout)
 * build on these.
 */
package dev.lanyard.idp.pages;
