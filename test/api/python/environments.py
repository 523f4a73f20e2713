"""Drives porthole's environments and deployments with python-gitlab; prints one JSON object with what it saw.

Usage: environments.py URL TOKEN
"""
import json
import sys
import time

import gitlab

CI = """
deploy:
  script: [echo deploying]
  environment: {name: production, url: "https://shop.example.com", on_stop: teardown}
teardown:
  when: manual
  script: [echo tearing down]
  environment: {name: production, action: stop}
"""

url, token = sys.argv[1], sys.argv[2]
gl = gitlab.Gitlab(url, private_token=token)
project = gl.projects.create({"name": "deployed", "ci_config": CI})
project.pipelines.create({"ref": "main"})


def wait(what, probe, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


deployment = wait(
    "a successful deployment",
    lambda: next((d for d in project.deployments.list(get_all=True) if d.status == "success"), None),
)
environment = project.environments.list(get_all=True)[0]
fetched = project.environments.get(environment.id)
environment.stop()
stopped = wait("the environment to stop", lambda: project.environments.get(environment.id).state == "stopped")
teardown = [j for j in project.jobs.list(get_all=True) if j.name == "teardown"][0]
print(
    json.dumps(
        {
            "environments": [(e.name, e.external_url) for e in project.environments.list(get_all=True)],
            "deployment": [deployment.iid, deployment.environment["name"], deployment.deployable["name"]],
            "one": project.deployments.get(deployment.id).sha == deployment.sha,
            "last_deployment": fetched.last_deployment["status"],
            "teardown": teardown.status,
            "states": [e.state for e in project.environments.list(states="stopped", get_all=True)],
        }
    )
)
