"""Drives porthole's repository, commit status and pipeline read endpoints with python-gitlab, as a user's script
would, on a project mirrored from a local git repository; prints one JSON object with what it saw.

Usage: repository_flow.py URL TOKEN REPO_DIR
"""
import json
import sys
import time

import gitlab


def wait_pipeline(project, pipeline_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pipeline = project.pipelines.get(pipeline_id)
        if pipeline.status in ("success", "failed", "canceled"):
            return pipeline
        time.sleep(0.1)
    raise SystemExit(f"pipeline {pipeline_id} never finished (last: {pipeline.status})")


def main():
    url, token, repo_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(url, private_token=token)
    seen = {}

    project = gl.projects.create({"name": "mirrored", "import_url": repo_dir})
    # Python booleans travel as True/False in query strings.
    seen["owned"] = [p.path for p in gl.projects.list(owned=True, membership=True, get_all=True)]
    seen["active_users"] = [u.username for u in gl.users.list(active=True, blocked=False, get_all=True)]
    seen["unrevoked_tokens"] = len(gl.personal_access_tokens.list(revoked=False, get_all=True))

    seen["branches"] = sorted(b.name for b in project.branches.list(get_all=True))
    feature = project.branches.get("feature/x")
    seen["feature"] = {"default": feature.default, "protected": feature.protected, "title": feature.commit["title"]}
    main_branch = project.branches.get("main")
    seen["main"] = {"default": main_branch.default, "protected": main_branch.protected}
    seen["tags"] = [(t.name, t.message, t.commit["id"]) for t in project.tags.list(get_all=True)]
    commits = project.commits.list(ref_name="main", get_all=True)
    seen["commit_titles"] = [c.title for c in commits]
    readme = project.files.get(file_path="docs/read me.md", ref="main")
    seen["file"] = {"path": readme.file_path, "text": readme.decode().decode(), "size": readme.size}
    seen["raw"] = project.files.raw(file_path="docs/read me.md", ref="feature/x").decode()

    pipeline = project.pipelines.create({"ref": "main", "variables": [{"key": "EXTRA", "value": "from python"}]})
    pipeline = wait_pipeline(project, pipeline.id)
    seen["pipeline"] = {"status": pipeline.status, "name": pipeline.name, "source": pipeline.source}
    seen["pipeline_variables"] = [(v.key, v.value) for v in pipeline.variables.list(get_all=True)]
    jobs = {j.name: j for j in pipeline.jobs.list(include_retried=True, get_all=True)}
    seen["jobs"] = {name: j.status for name, j in jobs.items()}
    seen["vars_log"] = project.jobs.get(jobs["vars"].id).trace().decode()

    # The job triggered a pipeline with its CI_JOB_TOKEN; that one's source is `pipeline`, so the loop guard held.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        others = [p for p in project.pipelines.list(get_all=True) if p.id != pipeline.id]
        if others and wait_pipeline(project, others[0].id):
            break
        time.sleep(0.1)
    time.sleep(0.5)
    seen["sources"] = sorted(p.source for p in project.pipelines.list(get_all=True))

    head = project.commits.get(commits[0].id)
    seen["last_pipeline"] = head.last_pipeline["id"] if head.last_pipeline else None
    status = head.statuses.create({"state": "success", "name": "renovate/stability-days",
                                   "target_url": "https://renovate.example/checks/1", "description": "ok"})
    seen["status_created"] = {"status": status.status, "name": status.name, "ref": status.ref}
    head.statuses.create({"state": "failed", "name": "renovate/stability-days"})
    statuses = head.statuses.list(get_all=True)
    seen["statuses"] = sorted((s.name, s.status) for s in statuses)
    seen["lint"] = project.ci_lint.get(content_ref="main").valid
    # python-gitlab 3.12 has no method for the latest pipeline; its raw client reaches it.
    seen["latest"] = gl.http_get(f"/projects/{project.id}/pipelines/latest", query_data={"ref": "main"})["sha"]
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
