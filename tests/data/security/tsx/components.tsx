// React components: dangerouslySetInnerHTML and DOM sinks.
import DOMPurify from 'dompurify';
import React from 'react';

export function Bio({ html }: { html: string }) {
  return <div dangerouslySetInnerHTML={{ __html: html }} />; // expect: js-react-dangerously-set-inner-html
}

export function SafeBio({ html }: { html: string }) {
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(html) }} />; // expect: js-react-dangerously-set-inner-html
}

export function Static() {
  return <div dangerouslySetInnerHTML={{ __html: '<br/>' }} />; // ok: constant
}

export function Search() {
  const query = new URLSearchParams(window.location.search).get('q') || '';
  return <div dangerouslySetInnerHTML={{ __html: '<b>' + query + '</b>' }} />; // expect: js-tainted-xss
}

export function Text({ text }: { text: string }) {
  return <p>{text}</p>; // ok: React escapes children
}

export function Banner() {
  const ref = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    if (ref.current) {
      ref.current.innerHTML = decodeURIComponent(window.location.hash.slice(1)); // expect: js-tainted-xss
    }
  }, []);
  return <div ref={ref} />;
}
