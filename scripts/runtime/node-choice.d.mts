export declare const PINNED_MAJOR: number;
export declare function npmNodeMajor(userAgent: string | undefined): number | undefined;
export declare function decideNodeLink(facts: { npmUserAgent: string | undefined; pinnedRuns: boolean }): { keep: boolean; reason: string };
