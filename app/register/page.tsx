import type { Metadata } from "next";
import { SiteHeader } from "../site-header";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Register" };

export default function RegisterPage() {
  return (
    <>
      <SiteHeader current="register" />
      <main id="main">
        <h1>Register</h1>
        <p className="muted">Add your name to the list of registrants.</p>
        <RegisterForm />
      </main>
    </>
  );
}
