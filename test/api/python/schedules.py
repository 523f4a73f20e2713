"""Drives porthole's pipeline schedules with python-gitlab; prints one JSON object with what it saw.

Usage: schedules.py URL TOKEN
"""
import json
import sys

import gitlab

url, token = sys.argv[1], sys.argv[2]
gl = gitlab.Gitlab(url, private_token=token)
project = gl.projects.create({"name": "scheduled", "ci_config": "job:\n  script: [echo $NIGHTLY]\n"})
schedule = project.pipelineschedules.create(
    {"description": "nightly", "ref": "main", "cron": "0 3 * * *", "cron_timezone": "Europe/Berlin"}
)
schedule.variables.create({"key": "NIGHTLY", "value": "yes"})
schedule.description = "nightly build"
schedule.save()
schedule_id = schedule.id
schedule.play()
# play() keeps only the server's answer ({"message": …}) as the object's attributes, as with GitLab: fetch it anew.
schedule = project.pipelineschedules.get(schedule_id)
schedule.take_ownership()
again = project.pipelineschedules.get(schedule.id)
# This python-gitlab has no manager for a schedule's pipelines: its raw list call reads them.
pipelines = gl.http_list(f"/projects/{project.id}/pipeline_schedules/{schedule_id}/pipelines", get_all=True)
print(
    json.dumps(
        {
            "listed": [s.description for s in project.pipelineschedules.list(get_all=True)],
            "cron_timezone": again.cron_timezone,
            "next_run_at": again.next_run_at,
            "variables": [(v["key"], v["value"]) for v in again.attributes["variables"]],
            "owner": again.owner["username"],
            "played": [p["source"] for p in pipelines],
        }
    )
)
