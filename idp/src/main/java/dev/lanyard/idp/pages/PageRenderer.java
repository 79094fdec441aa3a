package dev.lanyard.idp.pages;

import dev.lanyard.storage.model.Tenant;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders Lanyard's HTML pages (login, consent, device approval, sign-out, errors) from Pebble templates under
 * {@code lanyard/pages/templates/}, with auto-escaping on: every {@code {{ value }}} is HTML-escaped, so no user,
 * client or tenant string can inject markup. Every page extends {@code layout.peb}, which shows the tenant's
 * display name and links the one stylesheet Lanyard serves itself ({@link PageAssets}); no page has script.
 *
 * <p>The Pebble engine is built on the first page, not at start-up, so {@code serve} does not pay for it;
 * compiling and rendering run on a worker thread (templates are compiled once and cached).
 */
public final class PageRenderer {
  private static final Logger log = LoggerFactory.getLogger(PageRenderer.class);
  private static final String BASE_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Vertx vertx;
  private volatile PebbleEngine engine;

  public PageRenderer(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * One page to draw.
   *
   * @param template template name without {@code .peb}, e.g. {@code login}
   * @param tenant the tenant whose page it is, or null (its display name heads the page)
   * @param title the page's title
   * @param model the template's variables
   * @param formTargets origins (besides this server) a form on the page may end up at through redirects, for the
   *     CSP {@code form-action}: browsers check every redirect of a form submission against it, so a login form
   *     that leads through /authorize to the client's redirect URI must name that URI's origin
   */
  public record Page(String template, Tenant tenant, String title, Map<String, Object> model, List<String> formTargets) {
    public Page {
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(title, "title");
      model = model == null ? Map.of() : model;
      formTargets = formTargets == null ? List.of() : List.copyOf(formTargets);
    }

    public Page(String template, Tenant tenant, String title, Map<String, Object> model) {
      this(template, tenant, title, model, List.of());
    }
  }

  /** Renders {@code page} with {@code status} as the response (no-store, the pages' CSP). */
  public Future<Void> render(RoutingContext ctx, int status, Page page) {
    Map<String, Object> vars = new HashMap<>(page.model());
    vars.put("title", page.title());
    vars.put("tenantName", page.tenant() == null ? "Lanyard" : page.tenant().displayName());
    vars.put("tenantId", page.tenant() == null ? null : page.tenant().id());
    return vertx.executeBlocking(() -> {
      StringWriter out = new StringWriter(2048);
      engine().getTemplate(page.template()).evaluate(out, vars);
      return out.toString();
    }, false).compose(html -> {
      if (ctx.response().ended()) return Future.succeededFuture();
      StringBuilder formAction = new StringBuilder("'self'");
      page.formTargets().forEach(origin -> formAction.append(' ').append(origin));
      return ctx.response().setStatusCode(status)
          .putHeader("Content-Type", "text/html;charset=UTF-8")
          .putHeader("Cache-Control", "no-store")
          .putHeader("Pragma", "no-cache")
          .putHeader("Content-Security-Policy", BASE_CSP + "; form-action " + formAction)
          .end(html);
    });
  }

  /**
   * An error page with {@code status}: a title and a message for the person at the browser. The last resort of
   * every page handler, so it falls back to plain text if even rendering fails.
   */
  public Future<Void> error(RoutingContext ctx, int status, Tenant tenant, String title, String message) {
    return render(ctx, status, new Page("error", tenant, title, Map.of("message", message)))
        .recover(err -> {
          log.error("rendering the error page failed", err);
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain;charset=UTF-8")
                .putHeader("Cache-Control", "no-store").end(title + "\n\n" + message + "\n");
          }
          return Future.succeededFuture();
        });
  }

  private PebbleEngine engine() {
    PebbleEngine e = engine;
    if (e == null) {
      synchronized (this) {
        if (engine == null) {
          ClasspathLoader loader = new ClasspathLoader(PageRenderer.class.getClassLoader());
          loader.setPrefix("lanyard/pages/templates/");
          loader.setSuffix(".peb");
          engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
              .strictVariables(false).cacheActive(true).build();
        }
        e = engine;
      }
    }
    return e;
  }
}
