/**
 * The first states of a screen built on one query: "Loading" while nothing has come yet, the load error with Try
 * again when it failed and there is nothing to show, otherwise the screen's own content. A failed refetch keeps the
 * data on screen (the error state is only for a query without data).
 */
import { Match, Switch, type JSX } from 'solid-js';
import { Loading, QueryErrorState } from './states';

export interface QueryViewProps {
  query: { isPending: boolean; isError: boolean; data: unknown; error: unknown; refetch: () => unknown; isFetching: boolean };
  /** The error state's title, e.g. "Could not load the partners." */
  loadError: string;
  children: JSX.Element;
}

export function QueryView(props: QueryViewProps) {
  return (
    <Switch>
      <Match when={props.query.isPending}>
        <Loading />
      </Match>
      <Match when={props.query.isError && !props.query.data}>
        <QueryErrorState message={props.loadError} query={props.query} />
      </Match>
      <Match when={true}>{props.children}</Match>
    </Switch>
  );
}
