"""Drives porthole with python-gitlab the way a user's script would; prints one JSON object with what it saw.

Usage: ci_flow.py URL TOKEN
"""
import json
import sys
import time

import gitlab

CI = """
stages: [build, test]
build:
  stage: build
  script:
    - echo "hello from $CI_JOB_NAME and $EXTRA"
slow:
  stage: test
  script:
    - sleep 1000
deploy:
  stage: test
  needs: []
  when: manual
  script:
    - echo "deploying to $TARGET"
"""


def wait_status(project, job_id, status, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = project.jobs.get(job_id)
        if job.status == status:
            return job
        time.sleep(0.05)
    raise SystemExit(f"job {job_id} never reached {status} (last: {job.status})")


def main():
    url, token = sys.argv[1], sys.argv[2]
    gl = gitlab.Gitlab(url, private_token=token)
    gl.auth()
    seen = {"user": gl.user.username}

    project = gl.projects.create({"name": "python", "ci_config": CI})
    seen["path"] = gl.projects.get("root/python").path_with_namespace
    seen["lint_valid"] = project.ci_lint.create({"content": CI}).valid

    pipeline = project.pipelines.create({"ref": "main", "variables": [{"key": "EXTRA", "value": "extra!"}]})
    jobs = {j.name: j for j in pipeline.jobs.list(get_all=True)}
    seen["jobs"] = sorted(jobs)

    build = wait_status(project, jobs["build"].id, "success")
    seen["project_id"], seen["build_id"] = project.id, build.id
    seen["build_log"] = build.trace().decode()

    slow = wait_status(project, jobs["slow"].id, "running")
    slow.cancel()
    seen["slow_after_cancel"] = wait_status(project, slow.id, "canceled").status
    retried = slow.retry()
    seen["retried_is_new"] = retried["id"] != slow.id
    wait_status(project, retried["id"], "running")
    project.jobs.get(retried["id"]).cancel()

    deploy = project.jobs.get(jobs["deploy"].id)
    seen["deploy_before"] = deploy.status
    gl.http_post(f"/projects/{project.id}/jobs/{deploy.id}/play",
                 post_data={"job_variables_attributes": [{"key": "TARGET", "value": "prod"}]})
    seen["deploy_log"] = wait_status(project, deploy.id, "success").trace().decode()

    trigger = project.triggers.create({"description": "from python"})
    triggered = project.trigger_pipeline("main", trigger.token, variables={"EXTRA": "via-trigger"})
    seen["triggered_source"] = project.pipelines.get(triggered.id).source

    seen["pipeline_count"] = len(project.pipelines.list(get_all=True))
    seen["page_one"] = len(project.jobs.list(per_page=2, page=1))
    print(json.dumps(seen))


main()
