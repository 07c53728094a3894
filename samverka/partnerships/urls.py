from django.urls import path

from samverka.partnerships import advisor_views, views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("advisor/", advisor_views.advisor_page, name="advisor"),
    path("new/", views.partnership_create, name="create"),
    path("<int:pk>/", views.partnership_detail, name="partnership"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("<int:pk>/status/", views.partnership_status, name="status"),
    path("<int:pk>/members/", views.partnership_members, name="members"),
    path("<int:pk>/members/<int:member_pk>/respond/", views.member_respond, name="respond"),
    path("<int:pk>/members/<int:member_pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/checklist/", views.partnership_checklist, name="checklist"),
    path("<int:pk>/checklist/<int:number>/", views.step_complete, name="step_complete"),
    path("<int:pk>/checklist/<int:number>/reopen/", views.step_reopen, name="step_reopen"),
    path("<int:pk>/consensus/", views.consensus, name="consensus"),
    path("<int:pk>/consensus/<str:kind>/revise/", views.statement_revise, name="revise"),
    path("<int:pk>/consensus/<str:kind>/answer/", views.statement_answer, name="answer"),
    path("<int:pk>/residents/", views.residents, name="residents"),
    path("<int:pk>/mandates/", views.mandates, name="mandates"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/form/", views.choose_form, name="choose_form"),
]
