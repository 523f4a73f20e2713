"""Downloads a job's artifacts with python-gitlab's own API; prints one JSON object with what it got.

Usage: artifacts_flow.py URL TOKEN
"""
import hashlib
import io
import json
import sys
import time
import zipfile

import gitlab

CI = """
build:
  script:
    - mkdir -p out
    - head -c 100000 /dev/urandom > out/data.bin
    - sha256sum out/data.bin | cut -d' ' -f1 > out/data.sha
  artifacts:
    paths: [out/]
"""


def wait_success(project, job_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = project.jobs.get(job_id)
        if job.status in ("success", "failed"):
            return job
        time.sleep(0.05)
    raise SystemExit(f"job {job_id} did not finish")


def main():
    url, token = sys.argv[1], sys.argv[2]
    gl = gitlab.Gitlab(url, private_token=token)
    project = gl.projects.create({"name": "pyartifacts", "ci_config": CI})
    pipeline = project.pipelines.create({"ref": "main"})
    build = wait_success(project, pipeline.jobs.list(get_all=True)[0].id)
    seen = {"status": build.status, "artifacts_file": build.attributes.get("artifacts_file")}

    archive = zipfile.ZipFile(io.BytesIO(build.artifacts()))
    data = archive.read("out/data.bin")
    seen["zip_names"] = sorted(archive.namelist())
    seen["zip_sha_matches"] = hashlib.sha256(data).hexdigest() == archive.read("out/data.sha").decode().strip()
    seen["single_file_identical"] = build.artifact("out/data.bin") == data

    # Wait for the pipeline: by-ref downloads resolve from the latest successful pipeline.
    deadline = time.monotonic() + 20
    while project.pipelines.get(pipeline.id).status != "success" and time.monotonic() < deadline:
        time.sleep(0.05)
    by_ref = project.artifacts.download(ref_name="main", job="build")
    seen["by_ref_identical"] = zipfile.ZipFile(io.BytesIO(by_ref)).read("out/data.bin") == data
    seen["raw_identical"] = project.artifacts.raw("main", "out/data.bin", "build") == data
    try:
        project.artifacts.download(ref_name="main", job="nope")
        seen["missing_job"] = "found"
    except gitlab.exceptions.GitlabGetError as err:
        seen["missing_job"] = err.response_code
    build.delete_artifacts()
    try:
        build.artifacts()
        seen["after_delete"] = "found"
    except gitlab.exceptions.GitlabGetError as err:
        seen["after_delete"] = err.response_code
    print(json.dumps(seen))


main()
