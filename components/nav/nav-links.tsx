"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The nav links, with the current section highlighted (the path is only known in the browser). */
export function NavLinks({ links }: { links: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return links.map((link) => {
    const current = pathname === link.href || pathname.startsWith(`${link.href}/`);
    return (
      <Link
        key={link.href}
        href={link.href}
        aria-current={current ? "page" : undefined}
        className={
          current ? "font-medium text-tremor-brand" : "text-tremor-content hover:text-tremor-content-strong"
        }
      >
        {link.label}
      </Link>
    );
  });
}
