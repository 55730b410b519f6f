"""What a finished review does (WAGTAIL_FINISH_WORKFLOW_ACTION): it publishes the page.

Wagtail's own action publishes as the person who approved the last step and refuses when they
lack the right to publish directly. A story's last step is the involvement lead's, who has no
such right on purpose: publishing directly would skip the storyteller's approval. Reaching the
end of the workflow is the permission (only the task's groups may approve each step), so the
page is published without asking again. Consent and the checklist are still checked by the
story itself (StoryPage.publish_blockers) on every route.
"""


def publish_workflow_state(workflow_state, user=None):
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
