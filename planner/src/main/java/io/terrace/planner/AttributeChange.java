package io.terrace.planner;

/**
 * One attribute that differs between live and desired state. {@code before} is absent on
 * create and {@code after} on delete (both represented as {@code null} in JSON only).
 */
public record AttributeChange(String path, Object before, Object after) {}
