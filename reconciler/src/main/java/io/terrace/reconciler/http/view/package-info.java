/**
 * What the dashboard's templates show, as plain records built by the http package: the templates
 * (compiled to Java at build time, escaping HTML by default) read these and nothing else.
 */
package io.terrace.reconciler.http.view;
