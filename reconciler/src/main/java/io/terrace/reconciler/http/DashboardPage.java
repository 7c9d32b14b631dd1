package io.terrace.reconciler.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.terrace.reconciler.daemon.Daemon;
import io.terrace.reconciler.daemon.EnvironmentStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's pages, rendered from the templates in {@code src/main/jte} (compiled to Java
 * classes at build time; every value is HTML-escaped unless a template says otherwise), and its
 * two assets, a stylesheet and a script, served from the classpath.
 */
final class DashboardPage {

    /** Where the pages' stylesheet is served: a file of its own, as the Content-Security-Policy allows no inline style. */
    static final String STYLESHEET_PATH = "/terrace.css";
    static final String SCRIPT_PATH = "/terrace.js";
    /** The assets, by path: content type and content. */
    static final Map<String, String[]> ASSETS = Map.of(
            STYLESHEET_PATH, new String[] {"text/css; charset=utf-8", asset("terrace.css")},
            SCRIPT_PATH, new String[] {"text/javascript; charset=utf-8", asset("terrace.js")});

    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private final DashboardViews views;

    DashboardPage(Daemon daemon) {
        this.views = new DashboardViews(daemon);
    }

    String fleet(Optional<String> rawQuery) {
        return render("fleet.jte", views.fleet(rawQuery));
    }

    String environment(EnvironmentStatus status) {
        return render("environment.jte", views.environment(status));
    }

    String missing(String name) {
        return render("missing.jte", views.page(name));
    }

    static String render(String template, Object view) {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template, view, out);
        return out.toString();
    }

    private static String asset(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard asset missing from the classpath: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String shortRev(String r) {
        return r.length() > 12 ? r.substring(0, 12) : r;
    }
}
