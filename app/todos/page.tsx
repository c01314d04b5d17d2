// GET /todos: the visitor's own task list, read from their sealed session cookie.
import type { Metadata } from "next";
import { readTaskList } from "@/lib/session/cookie";
import { SiteHeader } from "../site-header";
import { noticeText } from "./notices";
import { TaskBoard } from "./task-board";

export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/todos">) {
  const [list, { notice }] = await Promise.all([readTaskList(), searchParams]);
  return (
    <>
      <SiteHeader current="tasks" />
      <main id="main">
        <h1>Tasks</h1>
        <p className="muted">Your own list, kept only in this browser&rsquo;s cookie: nobody else sees it.</p>
        <TaskBoard list={list} notice={noticeText(notice)} />
      </main>
    </>
  );
}
