// Sorting the cards with a mouse or the keyboard, without reloading the page.
//
// Without this file a sort's board is a plain form: each card has a select naming its pile,
// and one button saves every move. This file keeps that form and adds two ways to move one
// card at a time: drag the card onto a pile, or choose its pile and press the card's "Move"
// button. Each move is posted to the form's own address with the sort's version; the answer
// (JSON) gives the new version, and a refused move (someone else changed the sort, or the
// pile is gone) is said in the page's alert region and the card stays where it was. Moves are
// announced in a polite live region for screen reader users.
(() => {
  "use strict";

  const board = document.querySelector("[data-sort-board]");
  if (!board) {
    return;
  }
  const announcer = document.querySelector("[data-sort-announce]");
  const alertBox = document.querySelector("[data-sort-error]");
  const versionField = board.querySelector("[data-sort-version]");
  const tokenField = board.querySelector("input[name=csrfmiddlewaretoken]");
  let busy = false;

  function say(text) {
    alertBox.textContent = "";
    announcer.textContent = text;
  }

  function fail(text) {
    announcer.textContent = "";
    alertBox.textContent = text;
  }

  function pileFor(value) {
    return Array.from(board.querySelectorAll("[data-pile]")).find(
      (section) => section.dataset.pile === String(value)
    );
  }

  function pileOfCard(card) {
    return card.closest("[data-pile]");
  }

  // Put the card into the pile's list, keeping the cards in number order.
  function putInto(card, section) {
    const list = section.querySelector("[data-drop]");
    const number = Number(card.dataset.number);
    const next = Array.from(list.children).find(
      (other) => other !== card && Number(other.dataset.number) > number
    );
    list.insertBefore(card, next || null);
  }

  // The counts on the page follow the cards: each pile's, and the summary's cards in a pile.
  function recount() {
    board.querySelectorAll("[data-pile]").forEach((section) => {
      const count = section.querySelector("[data-count]");
      if (count) {
        count.textContent = String(section.querySelectorAll(".sort-card").length);
      }
    });
    const sorted = document.querySelector("[data-sorted-count]");
    if (sorted) {
      const placed = board.querySelectorAll(".pile:not(.pile-unsorted) .sort-card");
      sorted.textContent = String(placed.length);
    }
    // A member's first saved move starts their sort: the summary says so from then on.
    const status = document.querySelector("[data-sort-status][data-started]");
    if (status) {
      status.textContent = status.dataset.started;
      delete status.dataset.started;
    }
  }

  async function move(card, target, focusAfter) {
    const select = card.querySelector("[data-move]");
    const from = pileOfCard(card);
    if (busy) {
      fail("The last move is still being saved. Try again in a moment.");
      select.value = from.dataset.pile;
      return;
    }
    if (from.dataset.pile === String(target)) {
      say(`Card ${card.dataset.number} is already there.`);
      return;
    }
    busy = true;
    const body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", tokenField.value);
    body.set("version", versionField.value);
    body.set(select.name, String(target));
    try {
      const response = await fetch(board.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const answer = await response.json().catch(() => ({}));
      // Anything but the JSON of a saved move (a refusal, or a sign-in page after a long
      // pause) leaves the card where it was.
      if (!response.ok || typeof answer.version !== "number") {
        select.value = from.dataset.pile;
        fail(answer.error || "The move was not saved. Reload the page (you may need to sign in again), then try again.");
        return;
      }
      // Every form on the page that carries the sort's version (the board, a new pile,
      // finishing the sort) now speaks for the sort as it is after this move.
      document.querySelectorAll("[data-sort-version]").forEach((field) => {
        field.value = String(answer.version);
      });
      select.value = String(target);
      putInto(card, pileFor(target));
      recount();
      say(answer.message);
      if (focusAfter) {
        focusAfter.focus();
      }
    } catch (error) {
      select.value = from.dataset.pile;
      fail("The move could not be sent. Check the connection, then try again.");
    } finally {
      busy = false;
    }
  }

  function enhance(card) {
    const select = card.querySelector("[data-move]");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary move-button";
    button.append("Move");
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = ` card ${card.dataset.number}`;
    button.append(hidden);
    button.addEventListener("click", () => move(card, select.value, button));
    select.after(button);

    card.draggable = true;
    card.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", card.dataset.card);
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("is-dragging");
    });
    card.addEventListener("dragend", () => card.classList.remove("is-dragging"));
  }

  function acceptDrops(section) {
    section.addEventListener("dragover", (event) => {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      section.classList.add("is-target");
    });
    section.addEventListener("dragleave", (event) => {
      if (!section.contains(event.relatedTarget)) {
        section.classList.remove("is-target");
      }
    });
    section.addEventListener("drop", (event) => {
      event.preventDefault();
      section.classList.remove("is-target");
      const id = event.dataTransfer.getData("text/plain");
      const card = Array.from(board.querySelectorAll(".sort-card")).find(
        (each) => each.dataset.card === id
      );
      if (card) {
        move(card, section.dataset.pile, null);
      }
    });
  }

  board.querySelectorAll(".sort-card").forEach(enhance);
  board.querySelectorAll("[data-pile]").forEach(acceptDrops);
  board.classList.add("sort-enhanced");
})();
