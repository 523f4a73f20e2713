// Thrown where a page needs a signed-in user: the error handler redirects to /users/sign_in.

export class SignInRequired extends Error {
  constructor() {
    super("sign in required");
    this.name = "SignInRequired";
  }
}
