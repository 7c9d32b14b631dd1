package io.terrace.planner;

/** Turns a plan into a document for people (text, Markdown) or programs (JSON). */
public interface PlanRenderer {

    String render(Plan plan);
}
