// A git repository for the real-client tests of mirrored projects: branches, an annotated tag, a nested file, and a
// CI file whose jobs print the commit and server variables, call the API with CI_JOB_TOKEN and trigger once.
import { makeRepo } from "./git-repo.ts";

export const MIRRORED_CI = `
workflow:
  name: "Build $CI_COMMIT_REF_NAME"
vars:
  script:
    - echo "title=$CI_COMMIT_TITLE"
    - echo "author=$CI_COMMIT_AUTHOR"
    - echo "protected=$CI_COMMIT_REF_PROTECTED"
    - echo "before=$CI_COMMIT_BEFORE_SHA"
    - echo "timestamp=$CI_COMMIT_TIMESTAMP"
    - echo "server=$CI_SERVER_PROTOCOL://$CI_SERVER_HOST:$CI_SERVER_PORT version=$CI_SERVER_VERSION"
    - echo "repository=$CI_REPOSITORY_URL"
    - 'case "$CI_REPOSITORY_URL" in *":$CI_JOB_TOKEN@"*) echo "the job token is in the repository URL";; esac'
    - echo "pipeline-name=$CI_PIPELINE_NAME"
    - echo "arch=$CI_RUNNER_EXECUTABLE_ARCH namespace-slug=$CI_PROJECT_NAMESPACE_SLUG user=$GITLAB_USER_LOGIN"
    - printf 'message=%s|\\n' "$CI_COMMIT_MESSAGE"
    - 'curl -sf -H "JOB-TOKEN: $CI_JOB_TOKEN" "$CI_API_V4_URL/job" | grep -o ''"name":"vars"'''
    - 'curl -sf -H "JOB-TOKEN: $CI_JOB_TOKEN" "$CI_API_V4_URL/projects/$CI_PROJECT_ID/pipelines/$CI_PIPELINE_ID" | grep -o ''"source":"[a-z]*"'''
retrigger:
  rules:
    - if: $CI_PIPELINE_SOURCE == "pipeline"
      when: never
    - when: on_success
  script:
    - curl -sf -X POST --form "token=$CI_JOB_TOKEN" --form ref=main "$CI_API_V4_URL/projects/$CI_PROJECT_ID/trigger/pipeline" > /dev/null
`;

/** main (two commits, tag v1.0 on the first), and feature/x with its own readme. */
export function mirroredRepo() {
  const repo = makeRepo({ ".gitlab-ci.yml": MIRRORED_CI, "docs/read me.md": "hello from main\n" });
  repo.git("tag", "-a", "v1.0", "-m", "first release", repo.sha);
  repo.git("checkout", "-q", "-b", "feature/x");
  const feature = repo.commit({ "docs/read me.md": "hello from feature\n" }, "Feature readme");
  repo.git("checkout", "-q", "main");
  const head = repo.commit({ "src/app.txt": "app\n" }, "Add the app\n\nWith a body line.");
  return { ...repo, feature, head };
}
