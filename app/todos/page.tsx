// GET /todos: the visitor's own task list, read from their sealed session cookie.
import type { Metadata } from "next";
import { slowDownMessage } from "@/lib/http/rate-limited";
import { rateLimitedFor } from "../rate-limited";
import { readTaskList } from "@/lib/session/cookie";
import { SiteHeader } from "../site-header";
import { noticeText } from "./notices";
import { TaskBoard } from "./task-board";

export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/todos">) {
  const [list, { notice }, wait] = await Promise.all([readTaskList(), searchParams, rateLimitedFor()]);
  return (
    <>
      <SiteHeader current="tasks" />
      <main id="main">
        <h1>Tasks</h1>
        <p className="muted">Your own list, kept only in this browser&rsquo;s cookie: nobody else sees it.</p>
        <TaskBoard list={list} notice={wait === null ? noticeText(notice) : slowDownMessage(wait, "task changes")} />
      </main>
    </>
  );
}
