// Errors a page handler throws to answer with a status page (404, 403, 422) or a redirect to sign in.

export class PageError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = "PageError";
  }
}

/** Thrown where a signed-in user is needed; the error handler redirects to /users/sign_in. */
export class SignInRequired extends Error {
  constructor() {
    super("sign in required");
    this.name = "SignInRequired";
  }
}

export const pageNotFound = (what = "Page") => new PageError(404, `${what} not found`);
export const pageForbidden = () => new PageError(403, "You are not allowed to do that.");
