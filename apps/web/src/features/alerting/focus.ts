/** Moves the focus once React has rendered the element. */
export function focusLater(id: string): void {
  // After an awaited request React renders a little later: wait for the element a few frames.
  const attempt = (left: number) => {
    const element = document.getElementById(id);
    if (element) {
      element.focus();
      element.scrollIntoView({ block: "center" });
    } else if (left > 0) requestAnimationFrame(() => attempt(left - 1));
  };
  window.setTimeout(() => attempt(30), 0);
}
