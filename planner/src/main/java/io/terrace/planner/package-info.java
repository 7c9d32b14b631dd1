/**
 * The planner: how Terrace decides what to do to an environment.
 *
 * <h2>How a plan is built</h2>
 *
 * <p>A plan is data, computed by a pure function of three inputs: the specs of a repository as
 * loaded and validated ({@link io.terrace.schema.SpecSet}), the revision of each environment (the
 * git commit that last changed its file), and the live state one observe sweep read
 * ({@link io.terrace.planner.ObservedState}). No AWS call, no git and no clock is involved, so the
 * same inputs always give the same plan, byte for byte once rendered.
 *
 * <p>{@link io.terrace.planner.Planner} takes every environment that has a spec file or live
 * resources, in name order, and plans each on its own:
 *
 * <ol>
 *   <li><b>Read the spec.</b> An invalid file gives a plan with its diagnostics and no changes:
 *       Terrace never acts on a spec it cannot trust, not even to delete. A missing file means
 *       the environment was deleted from the repository.
 *   <li><b>Compile the desired state.</b> {@link io.terrace.planner.DesiredState} turns a valid
 *       spec into the resources of BRIEF §1, each with an address
 *       ({@code <env>/<component>/<resource>}), a deterministic AWS name, the attributes Terrace
 *       manages, its tags and the addresses it depends on.
 *   <li><b>Diff.</b> {@link io.terrace.planner.ResourceDiff} compares each desired resource with
 *       what is live at its address, attribute by attribute: nothing live is a create; a
 *       difference in an attribute the resource type cannot change in place
 *       ({@link io.terrace.planner.ResourceType#replaceOn()}) is a replace; any other difference
 *       an update; none a no-op. Only the attributes the desired resource declares are compared,
 *       numbers by value whatever their boxed type, and an autoscaled count is a range that any
 *       live value inside satisfies (outside, the plan clamps it into the range). Tags count,
 *       except {@code terrace:revision}, which is stamped on every create and update but is never
 *       a reason for one. Live resources the spec no longer wants are deletes. A value that is
 *       another resource's live attribute (a {@link io.terrace.planner.LiveRef}: the database
 *       endpoint a container is told) is resolved from live state first, or stays unknown,
 *       shown as {@code (known after apply)}, while that resource is created or replaced.
 *   <li><b>Apply the safety rules</b> (BRIEF §5). A live resource without Terrace's managed-by
 *       and environment tags is never changed or deleted ("exists but is not managed by
 *       Terrace"). Deleting or replacing a resource that holds data
 *       ({@link io.terrace.planner.ResourceType#holdsData()}: the Aurora cluster and writer, the
 *       uploads bucket, the search domain) is blocked, and so is every deletion of an
 *       environment whose file was deleted, unless every live resource of the environment
 *       carries {@code terrace:decommission=true} (the first step of a decommission was applied)
 *       or the plan was made with {@link io.terrace.planner.PlanOptions#allowDestroy()}. A
 *       blocked change stays in the plan, with its reason, so people see what Terrace refuses.
 *   <li><b>Order into waves.</b> Creates, updates and replaces follow the dependency edges of the
 *       desired resources; deletes come after them, in reverse dependency order. A change that
 *       needs a blocked change is blocked too, with a reason reading
 *       {@code "waits for <address>: <reason>"}. Within a wave, changes are sorted by address.
 *   <li><b>Mark pauses.</b> A {@code PAUSE} file or {@code paused: true} leaves the plan as it
 *       is but records why it must not be applied.
 * </ol>
 *
 * <p>The result, an {@link io.terrace.planner.EnvironmentPlan} per environment, carries for each
 * change the desired and the observed resource, which is all the executor needs: it runs the
 * waves in order and hands each change to the driver of its resource type, its live references
 * resolved from what the earlier waves returned. Renderers turn the
 * same plan into text for a terminal ({@link io.terrace.planner.TextPlanRenderer}), a pull-request
 * comment ({@link io.terrace.planner.MarkdownPlanRenderer}) and JSON for programs
 * ({@link io.terrace.planner.JsonPlanRenderer}). Drift detection reuses the diff: drift is a
 * difference found while the live environment was applied at the spec's current revision.
 */
package io.terrace.planner;
