// The site's navigation, rendered by each page so the current link is marked for screen readers
// (aria-current) without shipping a client component to read the pathname. Plain links, as
// everywhere here, not next/link: its client code would ship on every page for soft navigation
// between three server-rendered pages (docs/performance.md "What a phone downloads").

const LINKS = [
  { href: "/", label: "Registrants", key: "registrants" },
  { href: "/register", label: "Register", key: "register" },
  { href: "/todos", label: "Tasks", key: "tasks" },
] as const;

export type Section = (typeof LINKS)[number]["key"];

export function SiteHeader({ current }: { current?: Section }) {
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav aria-label="Main">
        <ul>
          {LINKS.map((link) => (
            <li key={link.key}>
              <a href={link.href} aria-current={link.key === current ? "page" : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
