// fetch_slist_append / fetch_slist_free_all: the singly linked string list the API uses for
// header lists and the like (follows curl_slist_append(3), curl_slist_free_all(3)).
//
// struct fetch_slist is a C struct the application walks itself, so its nodes and strings are
// allocated with malloc and released with free, never with C++ new/delete.
#include <fetch/fetch.h>

#include <cstdlib>
#include <cstring>

extern "C" {

struct fetch_slist *fetch_slist_append(struct fetch_slist *list, const char *data) {
  if (data == nullptr) return nullptr;
  char *copy = strdup(data);
  if (copy == nullptr) return nullptr;
  auto *node = static_cast<struct fetch_slist *>(std::malloc(sizeof(struct fetch_slist)));
  if (node == nullptr) {
    std::free(copy);
    return nullptr;  // the list given to us is left unchanged
  }
  node->data = copy;
  node->next = nullptr;
  if (list == nullptr) return node;
  struct fetch_slist *last = list;
  while (last->next != nullptr) last = last->next;
  last->next = node;
  return list;
}

void fetch_slist_free_all(struct fetch_slist *list) {
  while (list != nullptr) {
    struct fetch_slist *next = list->next;
    std::free(list->data);
    std::free(list);
    list = next;
  }
}

}  // extern "C"
